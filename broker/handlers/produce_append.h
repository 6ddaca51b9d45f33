#pragma once

// One partition of a Produce request, from the image lookup to the log: the
// part of Kafka's ReplicaManager.appendToLocalLog and Partition.appendRecordsToLeader
// that runs after the request-level checks (produce.cc).
//
// Runs synchronously on the connection's shard: the log write goes to the page
// cache under the log's mutex and returns. Because the dispatcher calls
// handlers in arrival order, the appends of pipelined requests of one
// connection land in request order (CONVENTIONS §5).

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "broker/cluster/metadata_image.h"
#include "common/kafka_types.h"
#include "protocol/error_code.h"
#include "protocol/generated/produce.h"

namespace samsa::storage {
class partition_log;
}

namespace samsa::broker {

struct broker_services;

struct partition_append {
  protocol::produce_response::PartitionProduceResponse response;  // index set by the caller
  // On success: the log and the offset the data ends at (exclusive), for acks=all.
  std::shared_ptr<storage::partition_log> log;
  offset end_offset{-1};
  bool ok() const { return log != nullptr; }
};

struct append_params {
  int16_t acks = 1;
  // The clientId is Kafka's admin client ("__admin_client"): internal topics are writable.
  bool internal_topics_allowed = false;
  // The partition's transaction verification guard for a transactional batch
  // (storage::partition_log::append_as_leader); nullopt: not checked.
  std::optional<uint64_t> verification_guard;
};

// Precondition: the image has the partition and its records passed
// validate_produce_records. `records` points into the request frame, which is
// this request's own buffer: storage rewrites the batch header in place.
partition_append append_to_partition(broker_services& services, const metadata_image& image, const std::string& topic,
                                     int32_t partition, std::span<const uint8_t> records, const append_params& params);

// A partition's answer without an append (Kafka's PartitionResponse(error)):
// base offset -1, no append time, log start offset as given.
protocol::produce_response::PartitionProduceResponse produce_error(protocol::error_code e, int64_t log_start_offset = -1);

}  // namespace samsa::broker
