#pragma once

// The socket server: listeners accepting TCP connections that speak Kafka's
// framing, spread over the shards of a runtime::shard_pool, handing request
// frames to a request_handler and writing its responses back in order.
//
// Lifecycle: construct -> start() -> ... -> stop() or stop_now(); the
// destructor calls stop_now(). The server must be stopped before its
// shard_pool is stopped.
//
// Thread-safety: start(), stop(), stop_now() are called from a thread that is
// not one of the pool's shards (they wait for the shards). Accessors may be
// called from any thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "broker/net/request_handler.h"
#include "broker/net/server_config.h"

namespace spdlog {
class logger;
}

namespace samsa::broker::runtime {
class clock;
class shard_pool;
}  // namespace samsa::broker::runtime

namespace samsa::broker::net {

struct server_options {
  // Where log lines go; null: spdlog's default logger.
  std::shared_ptr<spdlog::logger> logger;
  // Measures idleness; null: the real clock.
  const runtime::clock* clock = nullptr;
};

struct start_error {
  std::string listener;  // empty when not about one listener
  std::error_code code;
  std::string message;   // for operators, e.g. "failed to bind to 0.0.0.0:9092: Address already in use"
};

struct bound_listener {
  std::string name;
  std::string host;
  uint16_t port = 0;  // the port actually bound (useful with port 0)
};

struct server_stats {
  int64_t open_connections = 0;
  int64_t request_bytes_held = 0;  // counted only when queued_max_request_bytes >= 0
  int64_t requests_held = 0;
};

class server {
 public:
  server(runtime::shard_pool& pool, server_config config, request_handler& handler, server_options options = {});
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds every listener and starts accepting. On error nothing is left
  // listening. Precondition: called once; the pool is running.
  std::optional<start_error> start();

  // After a successful start(): the listeners with their bound ports.
  std::vector<bound_listener> bound_listeners() const;
  // The bound port of a listener, 0 if there is no such listener.
  uint16_t port_of(const std::string& listener_name) const;

  // Graceful: stops accepting and reading new requests, waits up to `timeout`
  // for requests in flight to be answered and their responses written, then
  // closes whatever is left. Returns true if nothing had to be cut off.
  bool stop(std::chrono::milliseconds timeout);
  // Closes every connection now, dropping requests in flight.
  void stop_now();

  server_stats stats() const;

  struct state;

 private:
  std::shared_ptr<state> state_;
};

}  // namespace samsa::broker::net
