#pragma once

// Internal to broker/net: what the server, its acceptors, its connections and
// the memory charges of request frames share. Kept alive by shared_ptr from
// each of them, so a frame a handler still holds after the server is gone
// can still give its memory back.
//
// Threading rules:
//   - Immutable after construction: pool, config, handler, log, clock, shards
//     (the vector). Written once by start(): bound.
//   - acceptors: under lifecycle_mutex (stop_now() lets go of them, breaking
//     the acceptor -> state -> acceptor cycle).
//   - shared_limit, per_ip_limit, atomics and live_*: any thread.
//   - shard_slot::connections and ::idle_sweep: only that shard's thread.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "broker/net/per_ip_limit.h"
#include "broker/net/request_handler.h"
#include "broker/net/server.h"
#include "broker/net/server_config.h"
#include "broker/net/shared_limit.h"
#include "broker/runtime/clock.h"
#include "broker/runtime/shard_id.h"
#include "broker/runtime/shard_pool.h"
#include "broker/runtime/timer_handle.h"

namespace samsa::broker::net {

class tcp_connection;
class acceptor;

struct shard_slot {
  // Only on the shard's thread.
  std::unordered_map<uint64_t, std::shared_ptr<tcp_connection>> connections;
  runtime::timer_handle idle_sweep;
  // Any thread: connections assigned to this shard and not yet closed; the
  // acceptors balance on it.
  std::atomic<int64_t> load{0};
};

struct server::state {
  state(runtime::shard_pool& p, server_config c, request_handler& h, server_options o);

  // Least-loaded shard; ties go round robin.
  runtime::shard_id pick_shard();

  // A connection was handed to a shard / has closed and its on_close has run.
  void connection_opened();
  void connection_finished();
  // Waits until no connection is open, or the deadline passes.
  bool wait_until_no_connections(std::chrono::steady_clock::time_point deadline);
  int64_t open_connections() const;

  runtime::shard_pool& pool;
  const server_config config;
  request_handler& handler;
  const std::shared_ptr<spdlog::logger> log;
  const runtime::clock& clock;

  shared_limit request_bytes;  // queued.max.request.bytes
  shared_limit requests;       // queued.max.requests
  shared_limit connections;    // max.connections
  per_ip_limit per_ip;         // max.connections.per.ip

  std::vector<std::unique_ptr<shard_slot>> shards;
  std::vector<std::shared_ptr<acceptor>> acceptors;
  std::vector<bound_listener> bound;

  std::atomic<uint64_t> next_connection_id{1};
  std::atomic<uint32_t> balance_cursor{0};
  // Set once by stop()/stop_now(); connections handed off afterwards are
  // closed on arrival.
  std::atomic<bool> stopping{false};

  std::mutex lifecycle_mutex;  // start/stop
  bool started = false;
  bool stopped = false;

 private:
  mutable std::mutex live_mutex_;
  std::condition_variable live_cv_;
  int64_t live_ = 0;  // connections opened and not yet finished
};

}  // namespace samsa::broker::net
