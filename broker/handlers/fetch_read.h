#pragma once

// Reading the partitions of a Fetch: Kafka's ReplicaManager.readFromLog and
// Partition.fetchRecords for a leader that is the only replica. Used for the
// first read of every Fetch and again when a long poll completes.
//
// Limits (Kafka's rules): the response's max_bytes is shared across the
// partitions in order, each partition also capped by its partition_max_bytes,
// and the first partition that has data returns at least its first whole
// batch even if that is larger than both limits (v3+ never has a hard limit).
//
// Runs on the request's shard; each read takes the log's mutex briefly and
// returns a file range (sent later with sendfile), never the bytes.

#include <cstdint>
#include <vector>

#include "broker/cluster/metadata_image.h"
#include "broker/fetch_session/fetch_types.h"
#include "protocol/error_code.h"
#include "storage/log/partition_log.h"

namespace samsa::broker {

struct broker_services;

struct fetch_params {
  int16_t version = 0;
  // Followers (replica id >= 0) read to the log end; consumers to the high
  // watermark or, READ_COMMITTED, to the last stable offset.
  bool is_follower = false;
  int32_t max_wait_ms = 0;
  int32_t min_bytes = 0;
  int32_t max_bytes = 0;
  storage::fetch_isolation isolation = storage::fetch_isolation::high_watermark;
};

struct fetch_read {
  // One per partition read, in the order given.
  std::vector<partition_result> results;
  int64_t bytes = 0;
  bool any_error = false;
  bool any_diverging = false;
};

// Precondition: every partition has a topic name and exists in the image.
fetch_read read_partitions(broker_services& services, const metadata_image& image, const fetch_params& params,
                           const std::vector<partition_to_fetch>& partitions);

// Kafka's FetchResponse for a partition that failed while being read
// (ReplicaManager.createLogReadResult): offsets -1, empty records.
protocol::fetch_response::PartitionData read_error_data(protocol::error_code error);

}  // namespace samsa::broker
