#pragma once

// Writes one RecordBatch v2 from records: encodes them, compresses the records
// section, fills in the header and the CRC. Follows Kafka's MemoryRecordsBuilder
// for the derived header fields:
//   baseTimestamp   the delete horizon if given, else the first record's timestamp
//                   (kNoTimestamp for an empty batch)
//   maxTimestamp    LogAppendTime: log_append_time_ms; CreateTime: the largest record
//                   timestamp, starting from kNoTimestamp
//   lastOffsetDelta the last record's offsetDelta (0 for an empty batch)
//
// Not thread-safe. Record bytes are copied on append, so inputs may die after it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/kafka_types.h"
#include "protocol/records/batch_attributes.h"
#include "protocol/records/batch_header.h"
#include "protocol/records/record_reader.h"
#include "protocol/records/record_result.h"

namespace samsa::protocol {

struct record_input {
  nullable_bytes key;
  nullable_bytes value;
  std::span<const record_header_view> headers;
  int64_t timestamp_ms = kNoTimestamp;
};

struct batch_builder_options {
  samsa::offset base_offset{0};
  samsa::leader_epoch partition_leader_epoch{kNoPartitionLeaderEpoch};
  compression_codec compression = compression_codec::none;
  std::optional<int> compression_level;  // Kafka's per-codec level; nullopt = Kafka's default
  timestamp_type ts_type = timestamp_type::create_time;
  int64_t log_append_time_ms = kNoTimestamp;  // used when ts_type is log_append_time
  bool is_transactional = false;
  bool is_control = false;
  std::optional<int64_t> delete_horizon_ms;
  samsa::producer_id producer_id{kNoProducerId};
  samsa::producer_epoch producer_epoch{kNoProducerEpoch};
  int32_t base_sequence = kNoSequence;
};

class batch_builder {
 public:
  explicit batch_builder(batch_builder_options options) : options_(options) {}

  // Appends a record whose offsetDelta is the number of records before it.
  record_status append(const record_input& r) { return append_with_offset_delta(next_offset_delta(), r); }

  // Appends with an explicit offsetDelta, for rebuilding batches with gaps.
  // Errors: invalid_record when the delta does not increase or the timestamp is
  // negative but not kNoTimestamp (Kafka refuses both); too_large past int32 sizes.
  record_status append_with_offset_delta(int32_t offset_delta, const record_input& r);

  int32_t records_count() const { return count_; }
  size_t uncompressed_records_bytes() const { return records_.size(); }

  // The finished batch. Errors: compression_failed, too_large (batch over INT32_MAX).
  record_result<std::vector<uint8_t>> build() const;

 private:
  int32_t next_offset_delta() const { return count_ == 0 ? 0 : last_offset_delta_ + 1; }

  batch_builder_options options_;
  std::vector<uint8_t> records_;  // encoded, uncompressed
  int32_t count_ = 0;
  int32_t last_offset_delta_ = 0;
  std::optional<int64_t> base_timestamp_ms_;
  int64_t max_timestamp_ms_ = kNoTimestamp;
};

// Encodes one record (length prefix included) onto `out`; exposed for tests.
// Precondition: every length fits an int32.
void append_encoded_record(std::vector<uint8_t>& out, int32_t offset_delta, int64_t timestamp_delta,
                           const record_input& r);

}  // namespace samsa::protocol
