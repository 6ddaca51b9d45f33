#pragma once

// Leader epoch -> start offset of that epoch (Kafka's LeaderEpochFileCache),
// answering OffsetForLeaderEpoch and guiding follower truncation. Persisted as
// leader-epoch-checkpoint by the owning partition_log: asynchronously, before the
// recovery point passes data of a new epoch, and at clean close (Kafka writes it
// synchronously on every change; our event loops may not fsync).
//
// Invariants:
//   1. Epochs and start offsets both strictly increase from entry to entry.
//   2. Epochs and start offsets are >= 0.
//
// Thread-safety: none; used under the owning partition_log's mutex.

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "common/kafka_types.h"
#include "storage/checkpoint/checkpoint_file.h"

namespace samsa::storage {

// OffsetForLeaderEpoch's answer; (-1, -1) is Kafka's UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET.
struct epoch_end_offset {
  samsa::leader_epoch epoch{-1};
  samsa::offset end_offset{-1};
  bool operator==(const epoch_end_offset&) const = default;
};

class leader_epoch_cache {
 public:
  leader_epoch_cache() = default;
  explicit leader_epoch_cache(const std::vector<epoch_entry>& entries) {
    for (const epoch_entry& e : entries) assign(e.epoch, e.start_offset);
    dirty_ = false;
  }

  // Kafka's assign: a new epoch or a lower start offset for the latest epoch;
  // entries that would break invariant 1 are removed first. Negative values are
  // ignored. Returns whether anything changed.
  bool assign(samsa::leader_epoch epoch, samsa::offset start_offset);

  std::optional<epoch_entry> latest_entry() const;
  std::optional<samsa::leader_epoch> latest_epoch() const;
  std::optional<epoch_entry> earliest_entry() const;
  std::optional<samsa::leader_epoch> previous_epoch(samsa::leader_epoch epoch) const;
  std::optional<samsa::leader_epoch> next_epoch(samsa::leader_epoch epoch) const;
  std::optional<samsa::leader_epoch> epoch_for_offset(samsa::offset o) const;

  // Kafka's endOffsetFor: the largest epoch <= requested and the start offset of
  // the first larger epoch (or the log end offset when requested is the latest).
  epoch_end_offset end_offset_for(samsa::leader_epoch requested, samsa::offset log_end_offset) const;

  // Removes entries with start offset >= end_offset.
  bool truncate_from_end(samsa::offset end_offset);
  // Removes entries with start offset <= start_offset, keeping the last of them
  // re-based at start_offset.
  bool truncate_from_start(samsa::offset start_offset);
  void clear();

  std::vector<epoch_entry> entries() const;
  bool empty() const { return epochs_.empty(); }
  // Changed since the last mark_clean() (the checkpoint file is stale).
  bool dirty() const { return dirty_; }
  void mark_clean() { dirty_ = false; }
  void mark_dirty() { dirty_ = true; }

 private:
  std::map<int32_t, epoch_entry> epochs_;
  bool dirty_ = false;
};

}  // namespace samsa::storage
