#pragma once

// The broker-wide state of the data path, reached through
// broker_services::data: where partitions are (and who waits on them), and
// the producer ids handed to idempotent producers.
//
// Thread-safety: both members are safe to use from any shard.
// Lifetime: made after the log manager and the controller, destroyed after the
// network server has stopped (no request can reach it any more).

#include <cstdint>

#include "broker/data/partition_directory.h"
#include "broker/data/producer_id_manager.h"

namespace samsa::broker::data {

struct data_plane {
  data_plane(storage::log_manager& logs, int32_t node_id, producer_id_manager::lease_fn lease,
             producer_id_manager::clock_fn now_ms)
      : partitions(logs, node_id), producer_ids(std::move(lease), std::move(now_ms)) {}

  partition_directory partitions;
  producer_id_manager producer_ids;
};

}  // namespace samsa::broker::data
