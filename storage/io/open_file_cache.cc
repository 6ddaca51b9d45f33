#include "storage/io/open_file_cache.h"

#include <atomic>

namespace samsa::storage::io {

uint64_t open_file_cache::next_key() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

result<std::shared_ptr<file>> open_file_cache::get(uint64_t key, const opener& open) {
  {
    std::lock_guard<std::mutex> g(mu_);
    auto it = map_.find(key);
    if (it != map_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      return it->second.f;
    }
  }
  auto opened = open();
  if (!opened) return opened.error();
  std::shared_ptr<file> evicted;  // released outside the lock
  std::lock_guard<std::mutex> g(mu_);
  auto it = map_.find(key);
  if (it != map_.end()) return it->second.f;  // another thread opened it meanwhile
  lru_.push_front(key);
  map_.emplace(key, entry{*opened, lru_.begin()});
  if (map_.size() > capacity_) {
    const uint64_t victim = lru_.back();
    lru_.pop_back();
    auto v = map_.find(victim);
    evicted = std::move(v->second.f);
    map_.erase(v);
  }
  return *opened;
}

void open_file_cache::erase(uint64_t key) {
  std::shared_ptr<file> dropped;
  std::lock_guard<std::mutex> g(mu_);
  auto it = map_.find(key);
  if (it == map_.end()) return;
  dropped = std::move(it->second.f);
  lru_.erase(it->second.lru);
  map_.erase(it);
}

size_t open_file_cache::size() const {
  std::lock_guard<std::mutex> g(mu_);
  return map_.size();
}

}  // namespace samsa::storage::io
