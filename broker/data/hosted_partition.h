#pragma once

// A partition this broker leads: its log and the fetches waiting on it
// (Kafka's Partition, for a leader whose ISR is itself).
//
// Lifecycle: made by partition_directory when a request first reaches a
// partition the metadata image says we lead ("becoming leader": the leader
// epoch is recorded in the log and the high watermark moves to the log end).
// Replaced when the topic is recreated under another id, or its log closes.
//
// Thread-safety: every method may be called from any thread; the log is
// thread-safe (storage/log/partition_log.h).

#include <atomic>
#include <memory>

#include "broker/data/partition_watchers.h"
#include "common/kafka_types.h"
#include "common/uuid.h"
#include "storage/log/partition_log.h"

namespace samsa::broker::data {

class hosted_partition {
 public:
  hosted_partition(uuid topic_id, storage::topic_partition tp, std::shared_ptr<storage::partition_log> log)
      : topic_id_(topic_id), tp_(std::move(tp)), log_(std::move(log)) {}

  const uuid& topic_id() const { return topic_id_; }
  const storage::topic_partition& tp() const { return tp_; }
  storage::partition_log& log() const { return *log_; }
  const std::shared_ptr<storage::partition_log>& log_ptr() const { return log_; }
  partition_watchers& watchers() { return watchers_; }

  // Kafka's makeLeader for a single-replica ISR: the epoch starts at the log
  // end, and the high watermark catches up with the log end (after a restart
  // the checkpointed one may lag). Idempotent; a newer epoch moves it on.
  void become_leader(leader_epoch epoch);
  leader_epoch epoch() const { return leader_epoch{epoch_.load(std::memory_order_acquire)}; }

  // After an append that ended at `next` (exclusive): Kafka's
  // maybeIncrementLeaderHW with the leader as the only in-sync replica, then
  // the waiting fetches are woken.
  void appended(offset next);
  // After the log start offset moved (DeleteRecords): wakes waiting fetches,
  // whose fetch offsets may now be out of range.
  void changed() { watchers_.notify(); }

 private:
  const uuid topic_id_;
  const storage::topic_partition tp_;
  const std::shared_ptr<storage::partition_log> log_;
  std::atomic<int32_t> epoch_{-1};
  partition_watchers watchers_;
};

}  // namespace samsa::broker::data
