#pragma once

// One incremental fetch session (Kafka's FetchSession and CachedPartition in
// core/.../server/FetchSession.scala): the partitions a fetcher follows, with
// the fetch state it last sent for each and the response state it last saw, so
// that a request lists only what changed and a response only what moved.
//
// Thread-safety: none of its own. A session belongs to one cache shard and is
// read or changed only under that shard's mutex (fetch_session_cache.h). A
// fetch_context may keep a session alive after the shard dropped it (evicted
// or closed); the session is then never changed again except by that context.
//
// Invariants:
//   1. Every partition appears once; partitions_ and index_ hold the same set,
//      index_ pointing at its entry of partitions_.
//   2. Keys follow uses_topic_ids() (session_key.h), fixed at creation.
//   3. epoch() >= 1 (the epoch the next request must carry).
//   4. cached_size_ is -1 exactly when no shard holds the session; otherwise it
//      is the size the shard last accounted for (see fetch_session_cache_shard).

#include <cstdint>
#include <list>
#include <unordered_map>
#include <vector>

#include "broker/fetch_session/fetch_metadata.h"
#include "broker/fetch_session/fetch_types.h"
#include "broker/fetch_session/session_key.h"

namespace samsa::broker {

class fetch_session_cache_shard;

// One partition of a session. high_watermark and local_log_start_offset are
// what the fetcher was last told (-1: never told, or told an error), so that a
// partition whose numbers moved is sent again.
struct cached_partition {
  fetch_partition partition;
  partition_fetch_state state;
  offset high_watermark{-1};
  offset local_log_start_offset{-1};

  // Kafka's CachedPartition.maybeUpdateResponseData, split in its check and
  // its update. Whether an incremental response must carry this partition:
  // records, a moved high watermark or log start offset, an error, a preferred
  // read replica, a diverging epoch. The last stable offset is not compared,
  // as in Kafka.
  bool must_respond(const protocol::fetch_response::PartitionData& data) const;
  // Remembers what is being sent. An error forgets the high watermark, so the
  // partition is sent again once the error clears.
  void record_sent(const protocol::fetch_response::PartitionData& data);
};

class fetch_session {
 public:
  // Precondition: no two partitions share a key (invariant 1).
  fetch_session(int32_t id, bool privileged, bool uses_topic_ids, int64_t creation_ms,
                std::vector<cached_partition> partitions);

  int32_t id() const { return id_; }
  // Sessions created by followers; harder to evict.
  bool privileged() const { return privileged_; }
  bool uses_topic_ids() const { return uses_topic_ids_; }
  int64_t creation_ms() const { return creation_ms_; }
  int64_t last_used_ms() const { return last_used_ms_; }
  int32_t epoch() const { return epoch_; }
  size_t size() const { return partitions_.size(); }
  bool empty() const { return partitions_.empty(); }

  // The epoch the request after this one must carry.
  void advance_epoch() { epoch_ = next_epoch(epoch_); }

  struct update_counts {
    size_t added = 0;
    size_t updated = 0;
    size_t removed = 0;
  };
  // Kafka's FetchSession.update: partitions in `fetch_data` are added at the end
  // or have their fetch state replaced (keeping their place); then partitions in
  // `to_forget` are removed. Keys follow uses_topic_ids().
  update_counts update(const std::vector<partition_to_fetch>& fetch_data,
                       const std::vector<session_key>& to_forget);

  // The partitions in session order, resolving names still unknown (id
  // sessions only) through `resolver`. A resolved name is kept even if the
  // topic later disappears from the metadata.
  std::vector<partition_to_fetch> partitions_to_fetch(const topic_name_resolver& resolver);

  // nullptr when the session does not hold `key`.
  cached_partition* find(const session_key& key);
  // Moves a partition to the end of the session order (fairness rotation).
  // Precondition: the session holds `key`.
  void move_to_end(const session_key& key);

 private:
  friend class fetch_session_cache_shard;
  using list_type = std::list<cached_partition>;

  int32_t id_;
  bool privileged_;
  bool uses_topic_ids_;
  int64_t creation_ms_;
  int64_t last_used_ms_;
  int32_t epoch_;
  // Invariant 4; maintained by fetch_session_cache_shard.
  int32_t cached_size_ = -1;
  // Invariant 1: session order (insertion, with rotation) and the index into it.
  list_type partitions_;
  std::unordered_map<session_key, list_type::iterator, session_key_hash> index_;
};

}  // namespace samsa::broker
