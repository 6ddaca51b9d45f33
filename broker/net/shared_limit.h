#pragma once

// A limit that many shards take from and give back to: bytes of requests in
// flight broker-wide, requests in flight, open connections.
//
// Admission follows Kafka's non-strict memory pool (SimpleMemoryPool with
// strict=false, which SocketServer uses for queued.max.request.bytes): a take
// succeeds while the amount in use is below the limit, whatever the size of
// the take. So a single take larger than the whole limit is admitted when the
// pool is not exhausted (it cannot wait forever), large takes are not starved
// by small ones, and the amount in use exceeds the limit by less than one
// take at most.
//
// A taker that is refused may leave a waiter, called once (on the thread that
// gives back) after some amount has been given back; it should post itself to
// its own shard and try again.
//
// Thread-safety: every method may be called from any thread.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "broker/runtime/unique_function.h"

namespace samsa::broker::net {

class shared_limit {
 public:
  using waiter = runtime::unique_function<void()>;

  // limit < 0: unlimited (nothing is counted; every take succeeds).
  explicit shared_limit(int64_t limit);

  shared_limit(const shared_limit&) = delete;
  shared_limit& operator=(const shared_limit&) = delete;

  bool unlimited() const { return limit_ < 0; }
  int64_t limit() const { return limit_; }
  int64_t in_use() const { return used_.load(std::memory_order_relaxed); }

  // Precondition: n >= 0.
  bool try_take(int64_t n);
  // try_take(n), or else register w (which then runs once after a give_back).
  bool take_or_wait(int64_t n, waiter w);
  void give_back(int64_t n);

 private:
  const int64_t limit_;
  std::atomic<int64_t> used_{0};
  // Waiters are registered under mutex_; waiting_ lets give_back() skip the
  // lock when nobody waits. take_or_wait raises waiting_ before its second
  // try and give_back lowers used_ before reading waiting_ (both seq_cst), so
  // either the second try sees the freed amount or give_back sees the waiter.
  std::atomic<int64_t> waiting_{0};
  std::mutex mutex_;
  std::vector<waiter> waiters_;
};

}  // namespace samsa::broker::net
