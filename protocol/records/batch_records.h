#pragma once

// The records of one batch, decompressed when the batch is compressed, and a
// one-pass summary of them for append validation.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "protocol/records/batch_view.h"
#include "protocol/records/record_reader.h"
#include "protocol/records/record_result.h"

namespace samsa::protocol {

class batch_records {
 public:
  // Decompresses the records section into an owned buffer of at most
  // `max_uncompressed_bytes` (an uncompressed batch is borrowed, not copied, and
  // not subject to the limit). Errors: unsupported_compression, decompression_failed,
  // too_large. Records themselves are checked only as they are read.
  static record_result<batch_records> open(const batch_view& batch, size_t max_uncompressed_bytes);

  const batch_view& batch() const { return batch_; }
  // The uncompressed records. Valid while this object and the batch's buffer live.
  std::span<const uint8_t> bytes() const {
    return owned_ ? std::span<const uint8_t>(buffer_) : batch_.records_section();
  }
  record_reader reader() const { return record_reader(bytes(), batch_.records_count()); }

 private:
  explicit batch_records(const batch_view& b) : batch_(b) {}
  batch_view batch_;
  std::vector<uint8_t> buffer_;
  bool owned_ = false;
};

// What a leader learns about a batch's records in one pass; the storage layer
// applies Kafka's LogValidator rules to it (README.md lists them).
struct records_summary {
  int32_t count = 0;
  // offsetDelta == i for the i-th record. Kafka rewrites (recompresses) a
  // compressed batch in which this is false instead of rejecting it.
  bool offset_deltas_consecutive = true;
  int32_t last_offset_delta = -1;
  // Record timestamps are baseTimestamp + delta (maxTimestamp for LogAppendTime
  // batches). max is computed as Kafka does: starting from kNoTimestamp (-1).
  // min skips records whose timestamp is kNoTimestamp, which Kafka never range-checks;
  // it is kNoTimestamp when no record has a timestamp.
  int64_t max_timestamp_ms = kNoTimestamp;
  int64_t min_timestamp_ms = kNoTimestamp;
  // Compacted topics reject records without a key.
  bool all_records_have_keys = true;
  size_t uncompressed_bytes = 0;
};

// Decompresses (bounded) and reads every record. Fails with the first error of
// batch_records::open or record_reader.
record_result<records_summary> scan_records(const batch_view& batch, size_t max_uncompressed_bytes);

}  // namespace samsa::protocol
