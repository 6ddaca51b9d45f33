#include "broker/data/partition_watchers.h"

#include <algorithm>

namespace samsa::broker::data {

void partition_watchers::watch(const std::shared_ptr<partition_waiter>& w) {
  {
    std::lock_guard<std::mutex> g(mu_);
    if (waiters_.size() >= sweep_at_) {
      std::erase_if(waiters_, [](const std::weak_ptr<partition_waiter>& e) { return e.expired(); });
      sweep_at_ = std::max<size_t>(16, waiters_.size() * 2);
    }
    waiters_.push_back(w);
    count_.store(waiters_.size(), std::memory_order_relaxed);
  }
  std::atomic_thread_fence(std::memory_order_seq_cst);
}

void partition_watchers::notify() {
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (count_.load(std::memory_order_relaxed) == 0) return;
  std::vector<std::shared_ptr<partition_waiter>> live;
  {
    std::lock_guard<std::mutex> g(mu_);
    live.reserve(waiters_.size());
    std::erase_if(waiters_, [&](const std::weak_ptr<partition_waiter>& e) {
      auto s = e.lock();
      if (!s) return true;
      live.push_back(std::move(s));
      return false;
    });
    count_.store(waiters_.size(), std::memory_order_relaxed);
  }
  for (const auto& w : live) w->on_partition_changed();
}

size_t partition_watchers::size() const {
  std::lock_guard<std::mutex> g(mu_);
  return waiters_.size();
}

}  // namespace samsa::broker::data
