#pragma once

// The broker-wide services handlers reach through their request_context.
//
// Thread-safety: every member is safe to use from any shard; each says how.
// Lifetime: all outlive every request (the broker stops the network first).

#include <cstdint>
#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace samsa::storage {
class log_manager;
}

namespace samsa::broker {

namespace config {
class broker_config;
}
namespace runtime {
class shard_pool;
}
class metadata_cache;
class controller;
class fetch_session_cache;
namespace data {
struct data_plane;
}
namespace groups {
class group_coordinator;
}
namespace txn {
class txn_coordinator;
}

struct broker_services {
  int32_t node_id = 1;
  // Immutable after startup.
  const config::broker_config* config = nullptr;
  // Logging is thread-safe (spdlog's _mt sinks).
  std::shared_ptr<spdlog::logger> logger;
  // Lock-free snapshots of cluster metadata.
  metadata_cache* metadata = nullptr;
  // The shards; post work to a shard, schedule timers (thread-safe).
  runtime::shard_pool* pool = nullptr;
  // Every partition log (thread-safe; see storage/manager/log_manager.h).
  storage::log_manager* logs = nullptr;
  // Changes to cluster metadata: topics, partitions, configs, producer id
  // blocks (thread-safe; answers asynchronously). See controller/controller.h.
  class controller* controller = nullptr;
  // Incremental fetch sessions (thread-safe; see fetch_session/).
  fetch_session_cache* fetch_sessions = nullptr;
  // --- data plane ---
  // Partitions, fetch watchers and producer ids of the data path
  // (thread-safe; see data/README.md).
  data::data_plane* data = nullptr;
  // --- end data plane ---
  // --- groups ---
  // The classic group coordinator (thread-safe; see groups/group_coordinator.h).
  // Null in brokers assembled without it.
  groups::group_coordinator* groups = nullptr;
  // --- end groups ---
  // --- transactions ---
  // The transaction coordinator (thread-safe; see txn/txn_coordinator.h).
  // Null in brokers assembled without it.
  txn::txn_coordinator* txn = nullptr;
  // --- end transactions ---
};

}  // namespace samsa::broker
