#pragma once

// One shard of the fetch-session cache (Kafka's FetchSessionCacheShard): the
// sessions whose ids fall in this shard's range, a size limit, and Kafka's
// eviction rules. Pure state: time comes in as arguments, session ids from a
// seeded generator, so a test replays exactly.
//
// Eviction (Kafka's tryEvict). When the shard is full, a new session of
// (privileged P, size N) may take the place of:
//   1. the least recently used session, if unused for more than eviction_ms
//      ("stale"), whatever its kind; otherwise
//   2. the least valuable evictable session, ordered by (privileged, size, id),
//      if it is less valuable than (P, N, 0). Evictable means: for a privileged
//      newcomer, any unprivileged session or a privileged one created more than
//      eviction_ms ago; for an unprivileged newcomer, any session created more
//      than eviction_ms ago. Membership is re-evaluated when a session is
//      touched (used), as in Kafka.
//
// Thread-safety: none; fetch_session_cache guards each shard with a mutex.
//
// Invariants:
//   1. sessions_.size() <= max_sessions_ after every create (a create that
//      finds the shard full evicts exactly one session or creates none).
//   2. Every session in sessions_ has one entry in last_used_ and at most one
//      in each evictable set, keyed by its current last_used_ms / cached_size_;
//      no other entries exist.
//   3. total_partitions_ == sum of cached_size_ over sessions_.
//   4. Session ids lie in [max(1, shard_index * id_range), (shard_index + 1) * id_range).

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "broker/fetch_session/fetch_session.h"

namespace samsa::broker {

class fetch_session_cache_shard {
 public:
  // Precondition: max_sessions >= 0, eviction_ms >= 0, shard_index >= 0,
  // id_range >= 1, and (shard_index + 1) * id_range fits in int32.
  fetch_session_cache_shard(int32_t max_sessions, int64_t eviction_ms, int32_t shard_index, int32_t id_range,
                            uint64_t seed);

  // nullptr when the shard holds no such session.
  std::shared_ptr<fetch_session> get(int32_t session_id) const;
  size_t size() const { return sessions_.size(); }
  int64_t total_partitions() const { return total_partitions_; }
  int64_t evictions() const { return evictions_; }

  // A fresh random id of this shard's range, not in use, never 0.
  int32_t new_session_id();

  // Kafka's maybeCreateSession: creates a session of `partitions` (epoch 1,
  // created and last used at now_ms) if the shard has room or can evict one
  // (see above); returns its id, or invalid_session_id.
  int32_t maybe_create_session(int64_t now_ms, bool privileged, bool uses_topic_ids,
                               std::vector<cached_partition> partitions);

  // Removes the session (closed by its fetcher, emptied, or evicted). The
  // object survives while a context holds it. Returns whether it was held.
  bool remove(int32_t session_id);

  // Marks the session used at now_ms and re-accounts its size and its
  // evictability. Precondition: the shard holds `session`.
  void touch(fetch_session& session, int64_t now_ms);

 private:
  using last_used_key = std::pair<int64_t, int32_t>;            // (last_used_ms, id)
  using evictable_key = std::tuple<bool, int32_t, int32_t>;     // (privileged, size, id)

  static evictable_key evictable_key_of(const fetch_session& s) {
    return {s.privileged(), s.cached_size_, s.id()};
  }
  bool try_evict(bool privileged, const evictable_key& newcomer, int64_t now_ms);
  void remove(fetch_session& session);
  uint64_t next_random();

  int32_t max_sessions_;
  int64_t eviction_ms_;
  int32_t id_low_;   // invariant 4, inclusive
  int32_t id_high_;  // invariant 4, exclusive
  uint64_t rng_state_;

  std::unordered_map<int32_t, std::shared_ptr<fetch_session>> sessions_;
  // Invariant 2: least recently used first.
  std::set<last_used_key> last_used_;
  // Invariant 2: least valuable first (unprivileged before privileged, then smaller).
  std::set<evictable_key> evictable_by_all_;
  std::set<evictable_key> evictable_by_privileged_;
  int64_t total_partitions_ = 0;  // invariant 3
  int64_t evictions_ = 0;
};

// A shard with the mutex that guards it and every session it holds (or held:
// a context keeps using a dropped session under the same mutex).
struct guarded_shard {
  template <typename... Args>
  explicit guarded_shard(Args&&... args) : state(std::forward<Args>(args)...) {}

  std::mutex mu;
  fetch_session_cache_shard state;  // guarded by mu
};

}  // namespace samsa::broker
