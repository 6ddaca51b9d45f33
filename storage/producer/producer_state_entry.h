#pragma once

// What the log remembers about one idempotent/transactional producer (Kafka's
// ProducerStateEntry + BatchMetadata): its epoch, the metadata of its last five
// batches (to answer retries with the original offsets), the coordinator epoch
// of its last transaction marker, the last timestamp (for expiry) and the first
// offset of its open transaction.
//
// Invariants:
//   1. At most kBatchesToRetain batches, in append order (sequences increasing).
//   2. All retained batches belong to `epoch` (an epoch change clears them).
//
// Thread-safety: plain value.

#include <cstdint>
#include <deque>
#include <optional>

#include "common/kafka_types.h"

namespace samsa::storage {

// Kafka's DefaultRecordBatch.incrementSequence / decrementSequence (wrap at INT32_MAX).
inline int32_t increment_sequence(int32_t sequence, int32_t increment) {
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
  return sequence + increment;
}
inline int32_t decrement_sequence(int32_t sequence, int32_t decrement) {
  if (sequence < decrement) return INT32_MAX - (decrement - sequence) + 1;
  return sequence - decrement;
}

struct batch_metadata {
  int32_t last_seq = -1;
  samsa::offset last_offset{-1};
  int32_t offset_delta = 0;
  int64_t timestamp_ms = -1;

  int32_t first_seq() const { return decrement_sequence(last_seq, offset_delta); }
  samsa::offset first_offset() const { return samsa::offset{last_offset.value() - offset_delta}; }
  bool operator==(const batch_metadata&) const = default;
};

class producer_state_entry {
 public:
  static constexpr size_t kBatchesToRetain = 5;

  producer_state_entry() = default;
  explicit producer_state_entry(samsa::producer_id id) : producer_id_(id) {}

  samsa::producer_id producer_id() const { return producer_id_; }
  samsa::producer_epoch producer_epoch() const { return epoch_; }
  int32_t coordinator_epoch() const { return coordinator_epoch_; }
  int64_t last_timestamp_ms() const { return last_timestamp_ms_; }
  std::optional<samsa::offset> current_txn_first_offset() const { return current_txn_first_offset_; }
  const std::deque<batch_metadata>& batches() const { return batches_; }

  bool empty() const { return batches_.empty(); }
  int32_t first_seq() const { return batches_.empty() ? -1 : batches_.front().first_seq(); }
  int32_t last_seq() const { return batches_.empty() ? -1 : batches_.back().last_seq; }
  samsa::offset last_data_offset() const { return batches_.empty() ? samsa::offset{-1} : batches_.back().last_offset; }
  int32_t last_offset_delta() const { return batches_.empty() ? 0 : batches_.back().offset_delta; }

  // A copy with the same epoch/coordinator epoch/timestamp/transaction but no
  // batches (Kafka's withProducerIdAndBatchMetadata(id, empty)).
  producer_state_entry without_batches() const {
    producer_state_entry e = *this;
    e.batches_.clear();
    return e;
  }

  void add_batch(samsa::producer_epoch epoch, int32_t last_seq, samsa::offset last_offset, int32_t offset_delta,
                 int64_t timestamp_ms) {
    maybe_update_epoch(epoch);
    add_batch_metadata({last_seq, last_offset, offset_delta, timestamp_ms});
    last_timestamp_ms_ = timestamp_ms;
  }
  bool maybe_update_epoch(samsa::producer_epoch epoch) {
    if (epoch_ == epoch) return false;
    batches_.clear();
    epoch_ = epoch;
    return true;
  }
  // Kafka's update(nextEntry): merges a validated append into the stored entry.
  void update(const producer_state_entry& next) {
    maybe_update_epoch(next.epoch_);
    for (const batch_metadata& b : next.batches_) add_batch_metadata(b);
    coordinator_epoch_ = next.coordinator_epoch_;
    current_txn_first_offset_ = next.current_txn_first_offset_;
    last_timestamp_ms_ = next.last_timestamp_ms_;
  }
  // Kafka's update(epoch, coordinatorEpoch, timestamp): after a transaction marker.
  void end_transaction(samsa::producer_epoch epoch, int32_t coordinator_epoch, int64_t timestamp_ms) {
    maybe_update_epoch(epoch);
    coordinator_epoch_ = coordinator_epoch;
    current_txn_first_offset_.reset();
    last_timestamp_ms_ = timestamp_ms;
  }
  void set_current_txn_first_offset(samsa::offset o) { current_txn_first_offset_ = o; }

  // The retained batch with exactly this sequence range in the current epoch.
  std::optional<batch_metadata> find_duplicate(samsa::producer_epoch epoch, int32_t first_seq, int32_t last_seq) const {
    if (epoch != epoch_) return std::nullopt;
    for (const batch_metadata& b : batches_) {
      if (b.first_seq() == first_seq && b.last_seq == last_seq) return b;
    }
    return std::nullopt;
  }

  // Rebuilds an entry from a snapshot record.
  static producer_state_entry from_snapshot(samsa::producer_id id, samsa::producer_epoch epoch,
                                            int32_t coordinator_epoch, int64_t timestamp_ms,
                                            std::optional<samsa::offset> txn_first_offset,
                                            std::optional<batch_metadata> last_batch) {
    producer_state_entry e(id);
    e.epoch_ = epoch;
    e.coordinator_epoch_ = coordinator_epoch;
    e.last_timestamp_ms_ = timestamp_ms;
    e.current_txn_first_offset_ = txn_first_offset;
    if (last_batch) e.batches_.push_back(*last_batch);
    return e;
  }

  bool operator==(const producer_state_entry&) const = default;

 private:
  void add_batch_metadata(const batch_metadata& b) {
    if (batches_.size() == kBatchesToRetain) batches_.pop_front();
    batches_.push_back(b);
  }

  samsa::producer_id producer_id_{-1};
  std::deque<batch_metadata> batches_;
  samsa::producer_epoch epoch_{-1};
  int32_t coordinator_epoch_ = -1;
  int64_t last_timestamp_ms_ = -1;
  std::optional<samsa::offset> current_txn_first_offset_;
};

}  // namespace samsa::storage
