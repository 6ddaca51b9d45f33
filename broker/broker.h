#pragma once

// A running Samsa broker, assembled: shards, listeners, dispatcher, metadata.
// main.cc runs one; end-to-end tests run one in-process on ephemeral ports.
//
// Lifecycle: start() -> serving -> shutdown() (graceful) or destruction
// (immediate). Thread-safety: call start/shutdown from one thread that is not
// a shard; accessors from any thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "broker/config/broker_config.h"
#include "common/result.h"

namespace spdlog {
class logger;
}

namespace samsa::broker {

class response_channel;
struct broker_services;

struct broker_options {
  // Null: spdlog's default logger.
  std::shared_ptr<spdlog::logger> logger;
};

class broker {
 public:
  // Formats or checks the log directories (meta.properties), binds every
  // listener and starts serving. The error is one line for the operator.
  static result<std::unique_ptr<broker>, std::string> start(const config::broker_config& config,
                                                            broker_options options = {});
  ~broker();

  // The port a listener is bound to (useful with port 0), 0 if there is none.
  uint16_t port_of(std::string_view listener_name) const;
  const std::string& cluster_id() const;
  int32_t node_id() const;

  // --- data plane ---
  // The services handlers see, for in-process tests that reach what no
  // request can: the partition logs, or an image a single broker cannot make
  // (another leader epoch, an ISR smaller than the replicas).
  broker_services& services_for_testing();
  // --- end data plane ---

  // Stops accepting, answers what is in flight (up to `timeout`), then stops.
  void shutdown(std::chrono::milliseconds timeout);

  // Hands a request frame (the bytes after the 4-byte size) to the dispatcher
  // as if it had arrived on the first listener, answering into `channel`.
  // For fuzzers and tests that drive the request path without sockets.
  void inject_request(std::span<const uint8_t> frame, std::unique_ptr<response_channel> channel);

  struct impl;

 private:
  explicit broker(std::unique_ptr<impl> impl);
  std::unique_ptr<impl> impl_;
};

}  // namespace samsa::broker
