#pragma once

// The broker's incremental fetch sessions (KIP-227): Kafka's FetchSessionCache
// and FetchManager in core/.../server/FetchSession.scala. new_context() is
// where a Fetch request meets the sessions; see fetch_context.h for what the
// handler does with the result.
//
// Sharding. Sessions are broker-wide, not per connection: a fetcher may
// reconnect to another core and carry on, so every core must reach every
// session. The cache is therefore split into shard_count shards, each with its
// own mutex, as Kafka 3.7+ does (KAFKA-9401): shard i owns session ids in
// [max(1, i * range), (i + 1) * range) with range = INT32_MAX / shard_count,
// so an id names its shard without a lookup, and new sessions go to shards in
// round robin. A mutex is the simplest correct guard (each fetch takes it
// twice, without I/O, the second time for a walk over the response's
// partitions); sharding keeps followers with thousands of partitions from
// serialising every other fetcher behind that walk. Eviction is per shard, as
// in Kafka: each shard has its share of max_sessions and evicts only its own.
//
// Time comes in as arguments (monotonic milliseconds), session ids from a
// seeded generator: the cache has no clock and no hidden randomness.
//
// Thread-safety: every public method may be called from any thread. The cache
// must outlive every fetch_context it made. No lock is held between calls.

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "broker/fetch_session/fetch_context.h"
#include "broker/fetch_session/fetch_session_cache_shard.h"
#include "broker/fetch_session/fetch_types.h"

namespace samsa::broker {

struct fetch_session_cache_config {
  // max.incremental.fetch.session.cache.slots (Kafka's default 1000). Shard i
  // gets max_sessions / shard_count, plus one of the remainder if i < the
  // remainder (Kafka drops the remainder).
  int32_t max_sessions = 1000;
  // How long a session must go unused before any newcomer may evict it, and
  // how old it must be before a bigger or privileged one may (Kafka's
  // MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS, not configurable there).
  int64_t eviction_ms = 120'000;
  // Kafka's NumFetchSessionCacheShards.
  int32_t shard_count = 8;
  // Seeds the session id generators. The broker should pass a random seed
  // (std::random_device) so ids differ across restarts; tests pass a constant.
  uint64_t seed = 0;
};

class fetch_session_cache {
 public:
  // Precondition: 1 <= shard_count, max_sessions >= 0, eviction_ms >= 0.
  explicit fetch_session_cache(const fetch_session_cache_config& config);
  fetch_session_cache(const fetch_session_cache&) = delete;
  fetch_session_cache& operator=(const fetch_session_cache&) = delete;

  // Kafka's FetchManager.newContext. `version` is the request's Fetch version,
  // `is_follower` whether it comes from a replica (replica id >= 0), now_ms the
  // monotonic time in milliseconds. See fetch_context.h for the four outcomes:
  //   - full (epoch 0 or -1) with a session id: that session is closed first;
  //   - epoch -1: sessionless; epoch 0: full;
  //   - incremental: FETCH_SESSION_ID_NOT_FOUND if the id is unknown (or lies
  //     outside every shard's range), INVALID_FETCH_SESSION_EPOCH if the epoch
  //     is not the session's, FETCH_SESSION_TOPIC_ID_ERROR if the request uses
  //     topic ids (v13+) and the session does not, or the other way round.
  //     Otherwise the session is updated, touched and its epoch advanced; if
  //     that left it empty it is closed and the context is sessionless.
  fetch_context new_context(const protocol::fetch_request& request, int16_t version, bool is_follower,
                            const topic_name_resolver& resolver, int64_t now_ms);

  struct stats {
    int64_t sessions = 0;           // Kafka's NumIncrementalFetchSessions
    int64_t cached_partitions = 0;  // NumIncrementalFetchPartitionsCached
    int64_t evictions = 0;          // IncrementalFetchSessionEvictionsPerSec (as a count)
  };
  stats get_stats() const;
  bool contains(int32_t session_id) const;
  int32_t shard_count() const { return static_cast<int32_t>(shards_.size()); }
  // The shard that owns `session_id`, or -1 when no shard does.
  int32_t shard_of(int32_t session_id) const;

 private:
  friend class fetch_context;
  guarded_shard* shard_for(int32_t session_id) const;
  guarded_shard& next_shard_for_new_session();

  int32_t id_range_;
  std::vector<std::unique_ptr<guarded_shard>> shards_;
  std::atomic<uint64_t> next_shard_{0};
};

}  // namespace samsa::broker
