#pragma once

// The transaction index of one segment (Kafka's TransactionIndex): the aborted
// transactions whose ABORT marker lies in this segment, in marker order, with the
// last stable offset at the time of the abort. READ_COMMITTED fetches use it to
// tell consumers which records to drop. Held in memory, written to <base>.txnindex
// when the segment is sealed or the log closes (absent when empty).
//
// File layout (docs/formats/txn_index.md): N entries of 34 bytes, big-endian,
//   int16 version (0), int64 producerId, int64 firstOffset, int64 lastOffset,
//   int64 lastStableOffset
//
// Invariant: last offsets strictly increase.
// Thread-safety: none; see segment.h.

#include <cstdint>
#include <span>
#include <vector>

#include "common/kafka_types.h"
#include "storage/result.h"

namespace samsa::storage {

struct aborted_txn {
  samsa::producer_id producer_id;
  samsa::offset first_offset;
  samsa::offset last_offset;
  samsa::offset last_stable_offset;
  bool operator==(const aborted_txn&) const = default;
};

struct txn_search_result {
  std::vector<aborted_txn> aborted;
  // True when no later segment can hold an overlapping aborted transaction.
  bool complete = false;
};

class txn_index {
 public:
  static constexpr size_t kEntrySize = 34;
  static constexpr int16_t kVersion = 0;

  explicit txn_index(samsa::offset base) : base_(base) {}

  samsa::offset base_offset() const { return base_; }
  bool empty() const { return entries_.empty(); }
  size_t entries() const { return entries_.size(); }
  const std::vector<aborted_txn>& all() const { return entries_; }

  // Appends when t.last_offset is above the last entry's; false otherwise.
  bool append(const aborted_txn& t);
  // Removes every entry with last offset >= o.
  void truncate_to(samsa::offset o);
  void reset() { entries_.clear(); }

  // Aborted transactions overlapping [fetch_offset, upper_bound_offset)
  // (Kafka's collectAbortedTxns).
  txn_search_result collect(samsa::offset fetch_offset, samsa::offset upper_bound_offset) const;

  std::vector<uint8_t> serialize() const;
  // corrupt_file on a bad size, an unknown version, or a last offset below the base.
  static result<txn_index> parse(samsa::offset base, std::span<const uint8_t> bytes);

 private:
  samsa::offset base_;
  std::vector<aborted_txn> entries_;
};

}  // namespace samsa::storage
