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
#include <string>
#include <string_view>

#include "broker/config/broker_config.h"
#include "common/result.h"

namespace spdlog {
class logger;
}

namespace samsa::broker {

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

  // Stops accepting, answers what is in flight (up to `timeout`), then stops.
  void shutdown(std::chrono::milliseconds timeout);

  struct impl;

 private:
  explicit broker(std::unique_ptr<impl> impl);
  std::unique_ptr<impl> impl_;
};

}  // namespace samsa::broker
