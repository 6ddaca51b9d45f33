#include "broker/fetch_session/fetch_session_cache.h"

#include <limits>
#include <mutex>

#include "common/assert.h"

namespace samsa::broker {

fetch_session_cache::fetch_session_cache(const fetch_session_cache_config& config) {
  SAMSA_ASSERT(config.shard_count >= 1 && config.max_sessions >= 0 && config.eviction_ms >= 0,
               "bad fetch session cache config");
  const int32_t n = config.shard_count;
  id_range_ = std::numeric_limits<int32_t>::max() / n;
  SAMSA_ASSERT(id_range_ >= 2, "too many fetch session shards");
  shards_.reserve(n);
  for (int32_t i = 0; i < n; ++i) {
    int32_t slots = config.max_sessions / n + (i < config.max_sessions % n ? 1 : 0);
    // Distinct, well-spread seeds per shard.
    uint64_t seed = config.seed ^ (0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(i + 1));
    shards_.push_back(std::make_unique<guarded_shard>(slots, config.eviction_ms, i, id_range_, seed));
  }
}

int32_t fetch_session_cache::shard_of(int32_t session_id) const {
  if (session_id <= 0) return -1;
  int32_t shard = session_id / id_range_;
  return shard < shard_count() ? shard : -1;
}

guarded_shard* fetch_session_cache::shard_for(int32_t session_id) const {
  int32_t shard = shard_of(session_id);
  return shard < 0 ? nullptr : shards_[shard].get();
}

guarded_shard& fetch_session_cache::next_shard_for_new_session() {
  uint64_t n = next_shard_.fetch_add(1, std::memory_order_relaxed);
  return *shards_[n % shards_.size()];
}

fetch_session_cache::stats fetch_session_cache::get_stats() const {
  stats out;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    out.sessions += static_cast<int64_t>(shard->state.size());
    out.cached_partitions += shard->state.total_partitions();
    out.evictions += shard->state.evictions();
  }
  return out;
}

bool fetch_session_cache::contains(int32_t session_id) const {
  guarded_shard* shard = shard_for(session_id);
  if (!shard) return false;
  std::lock_guard lock(shard->mu);
  return shard->state.get(session_id) != nullptr;
}

}  // namespace samsa::broker
