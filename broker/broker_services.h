#pragma once

// The broker-wide services handlers reach through their request_context.
//
// Thread-safety: every member is safe to use from any shard; each says how.

#include <cstdint>
#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace samsa::broker {

class metadata_cache;

struct broker_services {
  int32_t node_id = 1;
  // Logging is thread-safe (spdlog's _mt sinks).
  std::shared_ptr<spdlog::logger> logger;
  // Lock-free snapshots of cluster metadata.
  metadata_cache* metadata = nullptr;
};

}  // namespace samsa::broker
