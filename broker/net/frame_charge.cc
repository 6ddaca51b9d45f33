#include "broker/net/frame_charge.h"

#include "broker/net/server_state.h"
#include "broker/net/tcp_connection.h"

namespace samsa::broker::net {

frame_charge::frame_charge(std::shared_ptr<server::state> st, std::weak_ptr<tcp_connection> conn,
                           runtime::shard_id shard, int64_t bytes)
    : state_(std::move(st)), conn_(std::move(conn)), shard_(shard), bytes_(bytes) {}

void frame_charge::release() {
  if (released_.exchange(true, std::memory_order_acq_rel)) return;
  state_->request_bytes.give_back(bytes_);
  state_->requests.give_back(1);
  // The connection is locked only on its shard, so it is never destroyed elsewhere.
  if (state_->pool.current_shard() == shard_) {
    if (auto c = conn_.lock()) c->release_local(bytes_);
    return;
  }
  state_->pool.post(shard_, [conn = conn_, bytes = bytes_] {
    if (auto c = conn.lock()) c->release_local(bytes);
  });
}

std::shared_ptr<uint8_t[]> make_charged_buffer(size_t size, std::shared_ptr<frame_charge> charge) {
  struct releasing_delete {
    std::shared_ptr<frame_charge> charge;
    void operator()(uint8_t* p) const {
      delete[] p;
      charge->release();
    }
  };
  return std::shared_ptr<uint8_t[]>(new uint8_t[size], releasing_delete{std::move(charge)});
}

}  // namespace samsa::broker::net
