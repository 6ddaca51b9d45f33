#pragma once

// Internal to broker/net: the memory budget charge of one request frame.
//
// A frame is charged to the broker-wide budgets (queued.max.request.bytes,
// queued.max.requests) and to its connection's byte budget when it is
// admitted. The charge is released once, by whichever comes first: the last
// owner of the frame's bytes letting go, or the connection having dealt with
// the request's reply (response written, no response, or connection closed).
//
// Thread-safety: release() may be called from any thread, any number of
// times; the connection's share is handed back on its shard.

#include <atomic>
#include <cstdint>
#include <memory>

#include "broker/net/server.h"
#include "broker/runtime/shard_id.h"

namespace samsa::broker::net {

class tcp_connection;

class frame_charge {
 public:
  frame_charge(std::shared_ptr<server::state> st, std::weak_ptr<tcp_connection> conn, runtime::shard_id shard,
               int64_t bytes);
  ~frame_charge() { release(); }

  frame_charge(const frame_charge&) = delete;
  frame_charge& operator=(const frame_charge&) = delete;

  void release();
  int64_t bytes() const { return bytes_; }

 private:
  const std::shared_ptr<server::state> state_;
  const std::weak_ptr<tcp_connection> conn_;
  const runtime::shard_id shard_;
  const int64_t bytes_;
  std::atomic<bool> released_{false};
};

// A frame buffer of `size` bytes whose release (when its last owner lets go)
// releases `charge`.
std::shared_ptr<uint8_t[]> make_charged_buffer(size_t size, std::shared_ptr<frame_charge> charge);

}  // namespace samsa::broker::net
