#include "broker/fetch_session/fetch_session_cache_shard.h"

#include <algorithm>
#include <limits>

#include "broker/fetch_session/fetch_metadata.h"
#include "common/assert.h"

namespace samsa::broker {

fetch_session_cache_shard::fetch_session_cache_shard(int32_t max_sessions, int64_t eviction_ms, int32_t shard_index,
                                                     int32_t id_range, uint64_t seed)
    : max_sessions_(max_sessions), eviction_ms_(eviction_ms), rng_state_(seed) {
  SAMSA_ASSERT(max_sessions >= 0 && eviction_ms >= 0 && shard_index >= 0 && id_range >= 1, "bad shard parameters");
  int64_t high = (int64_t{shard_index} + 1) * id_range;
  SAMSA_ASSERT(high <= std::numeric_limits<int32_t>::max(), "shard id range overflows int32");
  id_low_ = static_cast<int32_t>(std::max<int64_t>(1, int64_t{shard_index} * id_range));
  id_high_ = static_cast<int32_t>(high);
  SAMSA_ASSERT(id_low_ < id_high_, "shard has no session ids");
}

std::shared_ptr<fetch_session> fetch_session_cache_shard::get(int32_t session_id) const {
  auto it = sessions_.find(session_id);
  return it == sessions_.end() ? nullptr : it->second;
}

// splitmix64: small, deterministic on every platform (unlike std distributions).
uint64_t fetch_session_cache_shard::next_random() {
  uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int32_t fetch_session_cache_shard::new_session_id() {
  // The range has at most 2^31 ids; the modulo bias against a 64-bit draw is negligible.
  uint64_t span = static_cast<uint64_t>(id_high_ - id_low_);
  SAMSA_ASSERT(sessions_.size() < span, "no free session id");
  int32_t id;
  do {
    id = id_low_ + static_cast<int32_t>(next_random() % span);
  } while (id == invalid_session_id || sessions_.contains(id));
  return id;
}

int32_t fetch_session_cache_shard::maybe_create_session(int64_t now_ms, bool privileged, bool uses_topic_ids,
                                                        std::vector<cached_partition> partitions) {
  int32_t size = static_cast<int32_t>(partitions.size());
  bool room = static_cast<int64_t>(sessions_.size()) < max_sessions_ ||
              try_evict(privileged, evictable_key{privileged, size, 0}, now_ms);
  if (!room) return invalid_session_id;
  auto session = std::make_shared<fetch_session>(new_session_id(), privileged, uses_topic_ids, now_ms,
                                                 std::move(partitions));
  fetch_session& s = *session;
  sessions_.emplace(s.id(), std::move(session));
  touch(s, now_ms);
  SAMSA_ASSERT(static_cast<int64_t>(sessions_.size()) <= max_sessions_, "fetch session shard over its limit");
  return s.id();
}

bool fetch_session_cache_shard::try_evict(bool privileged, const evictable_key& newcomer, int64_t now_ms) {
  if (last_used_.empty()) return false;
  // Rule 1: the least recently used session, if stale, goes whatever it is.
  const auto [lru_ms, lru_id] = *last_used_.begin();
  if (now_ms - lru_ms > eviction_ms_) {
    remove(*sessions_.at(lru_id));
    ++evictions_;
    return true;
  }
  // Rule 2: the least valuable evictable session, if worth less than the newcomer.
  const auto& candidates = privileged ? evictable_by_privileged_ : evictable_by_all_;
  if (candidates.empty()) return false;
  const evictable_key victim = *candidates.begin();
  if (newcomer < victim) return false;
  remove(*sessions_.at(std::get<2>(victim)));
  ++evictions_;
  return true;
}

bool fetch_session_cache_shard::remove(int32_t session_id) {
  auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return false;
  remove(*it->second);
  return true;
}

void fetch_session_cache_shard::remove(fetch_session& session) {
  // Copy what we need: erasing from sessions_ may destroy `session`.
  const int32_t id = session.id();
  last_used_.erase({session.last_used_ms_, id});
  evictable_key key = evictable_key_of(session);
  evictable_by_all_.erase(key);
  evictable_by_privileged_.erase(key);
  total_partitions_ -= session.cached_size_;
  session.cached_size_ = -1;
  sessions_.erase(id);
}

void fetch_session_cache_shard::touch(fetch_session& session, int64_t now_ms) {
  SAMSA_ASSERT(sessions_.contains(session.id()) && sessions_.at(session.id()).get() == &session,
               "touching a session the shard does not hold");
  last_used_.erase({session.last_used_ms_, session.id()});
  session.last_used_ms_ = now_ms;
  last_used_.insert({now_ms, session.id()});

  if (session.cached_size_ != -1) {
    evictable_key old_key = evictable_key_of(session);
    evictable_by_all_.erase(old_key);
    evictable_by_privileged_.erase(old_key);
    total_partitions_ -= session.cached_size_;
  }
  session.cached_size_ = static_cast<int32_t>(session.size());
  evictable_key key = evictable_key_of(session);
  bool old_enough = now_ms - session.creation_ms() > eviction_ms_;
  if (!session.privileged() || old_enough) evictable_by_privileged_.insert(key);
  if (old_enough) evictable_by_all_.insert(key);
  total_partitions_ += session.cached_size_;
}

}  // namespace samsa::broker
