#pragma once

// Kafka's LogValidator for a leader append of one RecordBatch v2: checks the
// batch and each record, assigns offsets, stamps the leader epoch and the max
// timestamp, and recompresses when the topic's compression differs from the
// producer's or a compressed batch's offset deltas are not 0, 1, 2, ...
//
// Rules, in Kafka's order (LogValidator.validateBatch / validateRecord):
//   client origin: lastOffset - baseOffset + 1 > 0, recordsCount > 0 and equal,
//     not a control batch, producerId >= 0 needs baseSequence >= 0  -> invalid_record
//   per record: compacted topic needs a key                          -> invalid_record
//     CreateTime: timestamp != -1 must be within [now - before.max, now + after.max]
//     otherwise a batch claiming LogAppendTime                       -> invalid_timestamp
//   all record errors of the batch are collected (record_errors) and the batch is
//   rejected whole; any invalid_timestamp makes the error invalid_timestamp.
// The CRC, batch size and baseOffset == 0 checks run before this (partition_log).
//
// Thread-safety: pure function of its inputs.

#include <cstdint>
#include <span>
#include <vector>

#include "common/kafka_types.h"
#include "protocol/records/batch_attributes.h"
#include "storage/log_config.h"
#include "storage/result.h"

namespace samsa::storage {

enum class append_origin : uint8_t {
  client,       // a producer: full validation, sequence checks, duplicate detection
  coordinator,  // the group/transaction coordinator: may write control batches
  replication,  // a follower copying the leader: offsets given, no validation
};

struct validator_params {
  topic_compression compression;
  bool compacted = false;
  protocol::timestamp_type timestamp_type = protocol::timestamp_type::create_time;
  int64_t timestamp_before_max_ms = kLongMax;
  int64_t timestamp_after_max_ms = kLongMax;
  samsa::leader_epoch partition_leader_epoch{-1};
  append_origin origin = append_origin::client;
  int64_t now_ms = 0;
  size_t max_uncompressed_bytes = 64u << 20;
};

struct validation_result {
  int64_t log_append_time_ms = -1;  // `now`, Kafka's ValidationResult.logAppendTimeMs
  int64_t max_timestamp_ms = -1;
  samsa::offset shallow_offset_of_max_timestamp{-1};
  samsa::offset last_offset{-1};
  int32_t record_count = 0;
  // True when the batch was rebuilt into rebuilt_batch (size may have changed);
  // false when the input was rewritten in place.
  bool rebuilt = false;
  std::vector<uint8_t> rebuilt_batch;
};

// Validates the single batch in `batch` (a whole batch whose CRC already passed)
// and assigns offsets starting at `first_offset`.
result<validation_result> validate_and_assign_offsets(std::span<uint8_t> batch, samsa::offset first_offset,
                                                      const validator_params& params);

// Kafka's recordHasInvalidTimestamp with Java's wrapping long arithmetic.
bool timestamp_out_of_range(int64_t timestamp_ms, int64_t now_ms, int64_t before_max_ms, int64_t after_max_ms);

}  // namespace samsa::storage
