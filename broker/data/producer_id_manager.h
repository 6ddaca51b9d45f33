#pragma once

// Producer ids for idempotent producers (InitProducerId with a null
// transactional id): handed out one by one from blocks the controller leases
// to this broker (Kafka's RPCProducerIdManager). The next block is requested
// when 90% of the current one is used, so a steady stream of producers rarely
// waits.
//
// Where Kafka differs: with no block at hand Kafka answers at once with
// COORDINATOR_LOAD_IN_PROGRESS and the client retries; here the request waits
// for the lease in flight (at most `max_waiters` requests; beyond that, or if
// the lease fails, COORDINATOR_LOAD_IN_PROGRESS as in Kafka). A failed lease is
// retried after 50 ms at the earliest, as Kafka's RetryBackoffMs.
//
// Invariants:
//   1. Ids come from leased blocks only, each at most once, in increasing order.
//   2. At most one lease request is in flight.
//
// Thread-safety: generate() may be called from any thread. Callbacks run on
// the calling thread or on the thread that completes the lease; none runs
// with the manager's lock held.

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

#include "broker/controller/controller.h"
#include "common/result.h"
#include "protocol/error_code.h"

namespace samsa::broker::data {

class producer_id_manager {
 public:
  using lease_done = std::function<void(result<producer_id_block, protocol::error_code>)>;
  // Leases the next block (controller::allocate_producer_ids).
  using lease_fn = std::function<void(lease_done)>;
  using id_done = std::function<void(result<int64_t, protocol::error_code>)>;
  // Milliseconds on a monotonic clock (for the retry back-off).
  using clock_fn = std::function<int64_t()>;

  producer_id_manager(lease_fn lease, clock_fn now_ms, size_t max_waiters = 10'000);

  void generate(id_done done);

 private:
  struct block_cursor {
    int64_t next = 0;
    int64_t end = 0;  // exclusive
    int64_t prefetch_at = 0;
    bool empty() const { return next >= end; }
  };
  // Runs with mu_ held: takes an id if one is at hand, and says whether a
  // lease should be requested now.
  std::optional<int64_t> take_locked(bool& request_lease);
  bool should_request_locked();
  void on_lease(result<producer_id_block, protocol::error_code> r);

  const lease_fn lease_;
  const clock_fn now_ms_;
  const size_t max_waiters_;

  std::mutex mu_;
  block_cursor current_;
  std::optional<producer_id_block> next_block_;
  bool lease_in_flight_ = false;
  int64_t retry_after_ms_ = 0;
  std::deque<id_done> waiters_;
};

}  // namespace samsa::broker::data
