#pragma once

// The sparse offset index of one segment (Kafka's OffsetIndex): entries map an
// offset to the file position of the batch whose append produced it. Held in
// memory; written to <base>.index when the segment is sealed or the log closes.
//
// File layout (docs/formats/offset_index.md): N entries of 8 bytes, big-endian,
//   int32 relative offset (offset - base offset), int32 physical position
// no header, no checksum: an index is derived data, rebuilt from the log when in doubt.
//
// Invariants:
//   1. Entry offsets and positions strictly increase.
//   2. Every relative offset is in [0, INT32_MAX].
//   3. entries() <= max_entries() (appends past it are refused; the log rolls first).
// For an entry (o, p): the batch that starts at p is the first of an append whose
// last offset is o, so every batch holding an offset >= o starts at or after p.
//
// Thread-safety: none. Owned by one segment; see segment.h for who may touch it.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/kafka_types.h"
#include "storage/result.h"

namespace samsa::storage {

struct offset_position {
  samsa::offset offset;
  uint32_t position = 0;
  bool operator==(const offset_position&) const = default;
};

class offset_index {
 public:
  static constexpr size_t kEntrySize = 8;

  offset_index(samsa::offset base, int32_t max_entries) : base_(base), max_entries_(max_entries) {}

  samsa::offset base_offset() const { return base_; }
  size_t entries() const { return entries_.size(); }
  int32_t max_entries() const { return max_entries_; }
  void set_max_entries(int32_t n) { max_entries_ = n; }
  bool is_full() const { return entries_.size() >= static_cast<size_t>(max_entries_ < 0 ? 0 : max_entries_); }
  size_t size_bytes() const { return entries_.size() * kEntrySize; }

  // Kafka's canAppendOffset: offset - base fits the 4-byte relative offset.
  bool can_append_offset(samsa::offset o) const {
    const int64_t rel = o.value() - base_.value();
    return rel >= 0 && rel <= INT32_MAX;
  }
  // Appends (o, position) when o is above the last entry and the index has room.
  // Returns false (and changes nothing) otherwise.
  bool append(samsa::offset o, uint32_t position);

  // The entry with the largest offset <= target, or (base, 0) when none.
  offset_position lookup(samsa::offset target) const;
  // The first entry with an offset above o.
  std::optional<offset_position> first_entry_above(samsa::offset o) const;
  // The entry with the smallest position >= position (Kafka's fetchUpperBoundOffset).
  std::optional<offset_position> first_entry_at_or_after_position(uint32_t position) const;
  // The entry with the largest position <= position.
  std::optional<offset_position> last_entry_at_or_before_position(uint32_t position) const;
  // The last entry, or (base, 0) when empty.
  offset_position last_entry() const;
  offset_position entry(size_t n) const;

  // Removes every entry with offset >= o.
  void truncate_to(samsa::offset o);
  void reset() { entries_.clear(); }

  std::vector<uint8_t> serialize() const;
  // Parses a file's bytes; corrupt_file when the size is not a multiple of 8 or
  // invariants 1-2 do not hold (Kafka's sanityCheck, and more).
  static result<offset_index> parse(samsa::offset base, int32_t max_entries, std::span<const uint8_t> bytes);

 private:
  struct raw_entry {
    int32_t relative_offset;
    uint32_t position;
  };
  offset_position to_entry(const raw_entry& e) const { return {samsa::offset{base_.value() + e.relative_offset}, e.position}; }

  samsa::offset base_;
  int32_t max_entries_;
  std::vector<raw_entry> entries_;
};

}  // namespace samsa::storage
