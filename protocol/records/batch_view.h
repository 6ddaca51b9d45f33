#pragma once

// Views over one whole RecordBatch v2 inside a larger buffer, and the in-place
// rewrites the storage layer performs on append.
//
// Invariants of a constructed view (checked by from_prefix):
//   1. bytes().size() == 12 + batchLength >= 61
//   2. magic == 2
// The CRC is not checked by construction: call crc_matches().
// Views do not own their bytes; the buffer must outlive them.

#include <cstdint>
#include <optional>
#include <span>

#include "common/kafka_types.h"
#include "protocol/records/batch_attributes.h"
#include "protocol/records/batch_header.h"
#include "protocol/records/record_result.h"

namespace samsa::protocol {

class batch_view {
 public:
  // The batch at the start of `buffer` (which may hold more after it). Errors are
  // those of parse_batch_header, plus partial_batch when batchLength reaches past
  // the end of `buffer`.
  static record_result<batch_view> from_prefix(std::span<const uint8_t> buffer);

  std::span<const uint8_t> bytes() const { return bytes_; }
  size_t size_bytes() const { return bytes_.size(); }
  batch_header header() const;

  samsa::offset base_offset() const;
  samsa::offset last_offset() const { return samsa::offset{base_offset().value() + last_offset_delta()}; }
  int32_t batch_length() const;
  samsa::leader_epoch partition_leader_epoch() const;
  uint32_t stored_crc() const;
  batch_attributes attributes() const;
  int32_t last_offset_delta() const;
  int64_t base_timestamp_ms() const;
  int64_t max_timestamp_ms() const;
  samsa::producer_id producer_id() const;
  samsa::producer_epoch producer_epoch() const;
  int32_t base_sequence() const;
  int32_t records_count() const;
  // baseTimestamp, when attribute bit 6 says it holds the delete horizon.
  std::optional<int64_t> delete_horizon_ms() const;

  // CRC-32C of bytes [21, end).
  uint32_t computed_crc() const;
  bool crc_matches() const { return computed_crc() == stored_crc(); }

  // Bytes after the 61-byte header: the records, or one compressed block of them.
  std::span<const uint8_t> records_section() const { return bytes_.subspan(batch_layout::kHeaderSize); }

  // What Kafka derives for a record from its deltas.
  samsa::offset record_offset(int32_t offset_delta) const {
    return samsa::offset{base_offset().value() + offset_delta};
  }
  // With LogAppendTime every record carries the batch's maxTimestamp.
  int64_t record_timestamp_ms(int64_t timestamp_delta) const;
  // baseSequence + offsetDelta, wrapping past INT32_MAX to 0; -1 without a sequence.
  int32_t record_sequence(int32_t offset_delta) const;

 private:
  explicit batch_view(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  std::span<const uint8_t> bytes_;
};

// batch_view::record_timestamp_ms with the batch's fields read once: for loops
// that ask for every record's timestamp (the appender validates each one).
class record_timestamps {
 public:
  explicit record_timestamps(const batch_view& b)
      : log_append_time_(b.attributes().ts_type() == timestamp_type::log_append_time),
        base_ms_(b.base_timestamp_ms()),
        max_ms_(b.max_timestamp_ms()) {}
  bool log_append_time() const { return log_append_time_; }
  int64_t of(int64_t timestamp_delta) const {
    if (log_append_time_) return max_ms_;
    // Wrapping add: deltas come from untrusted bytes and must not be UB.
    return static_cast<int64_t>(static_cast<uint64_t>(base_ms_) + static_cast<uint64_t>(timestamp_delta));
  }

 private:
  bool log_append_time_;
  int64_t base_ms_;
  int64_t max_ms_;
};

// The same batch, writable. Used by the leader when it assigns offsets, stamps
// its epoch and (for LogAppendTime topics) the append time.
class mutable_batch_view {
 public:
  static record_result<mutable_batch_view> from_prefix(std::span<uint8_t> buffer);

  batch_view view() const;
  std::span<uint8_t> bytes() const { return bytes_; }

  // Outside the CRC: no CRC update is needed.
  void set_base_offset(samsa::offset base);
  // Sets baseOffset so that baseOffset + lastOffsetDelta == last (Kafka's setLastOffset).
  void set_last_offset(samsa::offset last);
  void set_partition_leader_epoch(samsa::leader_epoch epoch);

  // Inside the CRC: sets the timestamp-type bit and maxTimestamp, then recomputes
  // the CRC. Does nothing when both already hold these values, as Kafka does, so a
  // batch whose CRC was wrong stays detectably wrong.
  void set_max_timestamp(timestamp_type type, int64_t max_timestamp_ms);

  // Recomputes and stores the CRC; for callers that changed covered bytes.
  void update_crc();

 private:
  explicit mutable_batch_view(std::span<uint8_t> bytes) : bytes_(bytes) {}
  std::span<uint8_t> bytes_;
};

}  // namespace samsa::protocol
