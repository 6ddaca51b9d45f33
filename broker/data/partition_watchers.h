#pragma once

// The fetches waiting for one partition to grow: Kafka's delayed-fetch
// purgatory, keyed by partition. A long-polling Fetch registers itself on each
// partition it reads; every append to a partition notifies that partition's
// waiters, which then re-check on their own shard.
//
// Registration lasts as long as the waiter lives: watchers hold weak pointers,
// so a completed (destroyed) fetch needs no unregistration. Expired entries are
// dropped by notify() and, so an idle partition cannot collect them forever,
// by watch() whenever the list has doubled since its last sweep.
//
// Ordering (no lost wake-up): an appender publishes the new high watermark,
// then notify() loads the waiter count; a waiter increments the count in
// watch(), then reads the high watermark. Both sides put a seq_cst fence
// between their store and their load, so at least one sees the other.
//
// Thread-safety: every method may be called from any thread. on_partition_changed()
// is called with no lock held.

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace samsa::broker::data {

class partition_waiter {
 public:
  virtual ~partition_waiter() = default;
  // The partition's high watermark, last stable offset or log end may have
  // moved. Runs on the appending thread: schedule work, do not do it here.
  virtual void on_partition_changed() = 0;
};

class partition_watchers {
 public:
  // Registers `w` until it is destroyed. Followed by a seq_cst fence: offsets
  // read after this call are at least as new as any notify() that missed `w`.
  void watch(const std::shared_ptr<partition_waiter>& w);
  // Wakes every live waiter (they stay registered). Cheap when there are none.
  void notify();
  // Registered entries, expired ones included until the next sweep.
  size_t size() const;

 private:
  // Invariant: equals waiters_.size() whenever mu_ is not held.
  std::atomic<size_t> count_{0};
  mutable std::mutex mu_;
  std::vector<std::weak_ptr<partition_waiter>> waiters_;
  size_t sweep_at_ = 16;
};

}  // namespace samsa::broker::data
