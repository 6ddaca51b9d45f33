#pragma once

// The sparse time index of one segment (Kafka's TimeIndex): an entry (T, o) says
// the largest timestamp of the batches before and including the batch ending at
// offset o is T, so any record with timestamp > T comes after o. Held in memory,
// written to <base>.timeindex when the segment is sealed or the log closes.
//
// File layout (docs/formats/time_index.md): N entries of 12 bytes, big-endian,
//   int64 timestamp (ms), int32 relative offset
//
// Invariants:
//   1. Timestamps strictly increase; offsets never decrease.
//   2. Relative offsets are in [0, INT32_MAX].
//   3. Appends stop at max_entries() - 1 (is_full); the last slot is kept for the
//      entry written when the segment is sealed (Kafka reserves it the same way).
//
// Thread-safety: none; see segment.h.

#include <cstdint>
#include <span>
#include <vector>

#include "common/kafka_types.h"
#include "storage/result.h"

namespace samsa::storage {

struct timestamp_offset {
  int64_t timestamp_ms = -1;
  samsa::offset offset;
  bool operator==(const timestamp_offset&) const = default;
};

class time_index {
 public:
  static constexpr size_t kEntrySize = 12;

  time_index(samsa::offset base, int32_t max_entries) : base_(base), max_entries_(max_entries) {}

  samsa::offset base_offset() const { return base_; }
  size_t entries() const { return entries_.size(); }
  void set_max_entries(int32_t n) { max_entries_ = n; }
  bool is_full() const { return static_cast<int64_t>(entries_.size()) >= int64_t{max_entries_} - 1; }
  size_t size_bytes() const { return entries_.size() * kEntrySize; }

  // Kafka's maybeAppend: appends when timestamp is above the last entry's.
  // Returns false when nothing was appended (not newer, offset going backwards,
  // offset out of range, or full unless skip_full_check).
  bool maybe_append(int64_t timestamp_ms, samsa::offset o, bool skip_full_check = false);

  // The entry with the largest timestamp <= target, or (-1, base) when none.
  timestamp_offset lookup(int64_t target_ms) const;
  // The last entry, or (-1, base) when empty.
  timestamp_offset last_entry() const;
  timestamp_offset entry(size_t n) const;

  // Removes every entry with offset >= o.
  void truncate_to(samsa::offset o);
  void reset() { entries_.clear(); }

  std::vector<uint8_t> serialize() const;
  // corrupt_file when the size is not a multiple of 12 or invariants 1-2 fail.
  static result<time_index> parse(samsa::offset base, int32_t max_entries, std::span<const uint8_t> bytes);

 private:
  struct raw_entry {
    int64_t timestamp_ms;
    int32_t relative_offset;
  };
  timestamp_offset to_entry(const raw_entry& e) const {
    return {e.timestamp_ms, samsa::offset{base_.value() + e.relative_offset}};
  }

  samsa::offset base_;
  int32_t max_entries_;
  std::vector<raw_entry> entries_;
};

}  // namespace samsa::storage
