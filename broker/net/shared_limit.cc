#include "broker/net/shared_limit.h"

#include "common/assert.h"

namespace samsa::broker::net {

shared_limit::shared_limit(int64_t limit) : limit_(limit) {}

bool shared_limit::try_take(int64_t n) {
  SAMSA_ASSERT(n >= 0, "negative take");
  if (unlimited()) return true;
  int64_t used = used_.load(std::memory_order_seq_cst);
  while (used < limit_) {
    if (used_.compare_exchange_weak(used, used + n, std::memory_order_seq_cst)) return true;
  }
  return false;
}

bool shared_limit::take_or_wait(int64_t n, waiter w) {
  if (try_take(n)) return true;
  std::lock_guard lock(mutex_);
  waiting_.fetch_add(1, std::memory_order_seq_cst);
  if (try_take(n)) {
    waiting_.fetch_sub(1, std::memory_order_seq_cst);
    return true;
  }
  waiters_.push_back(std::move(w));
  return false;
}

void shared_limit::give_back(int64_t n) {
  if (unlimited() || n == 0) return;
  const int64_t before = used_.fetch_sub(n, std::memory_order_seq_cst);
  SAMSA_ASSERT(before >= n, "gave back more than was taken");
  if (waiting_.load(std::memory_order_seq_cst) == 0) return;
  std::vector<waiter> wake;
  {
    std::lock_guard lock(mutex_);
    wake.swap(waiters_);
    waiting_.fetch_sub(static_cast<int64_t>(wake.size()), std::memory_order_seq_cst);
  }
  // Outside the lock: a waiter may take again right away.
  for (auto& w : wake) w();
}

}  // namespace samsa::broker::net
