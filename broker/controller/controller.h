#pragma once

// The controller: the single writer of cluster metadata. Every change
// (topics, partitions, configs, producer id blocks) becomes metadata records
// that are made durable in the metadata log before they are applied to the
// metadata image and answered — Kafka's KRaft controller on one node.
//
// Thread-safety: every method may be called from any thread; work is
// serialised inside, and callbacks run on an unspecified thread (marshal to a
// shard if needed).

#include <cstdint>
#include <functional>

#include "common/result.h"
#include "protocol/error_code.h"

namespace samsa::broker {

// A block of producer ids leased to this broker (Kafka's ProducerIdsRecord /
// AllocateProducerIds): [first_id, first_id + size).
struct producer_id_block {
  int64_t first_id = 0;
  int32_t size = 0;
};

class controller {
 public:
  virtual ~controller() = default;

  // Leases the next block of producer ids; durable before the callback.
  virtual void allocate_producer_ids(std::function<void(result<producer_id_block, protocol::error_code>)> done) = 0;

  // Topic, partition and config operations are added by the controller
  // implementation (broker/controller/): CreateTopics, DeleteTopics,
  // CreatePartitions, AlterConfigs, IncrementalAlterConfigs, auto-creation.
};

}  // namespace samsa::broker
