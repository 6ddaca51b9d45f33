#pragma once

// How partitions are told apart inside a session (Kafka's CachedPartition
// equals/hashCode): by topic id and partition in sessions that use topic ids
// (v13+), by topic name and partition otherwise. A session uses one or the
// other for its whole life, so a key never mixes the two.
//
// Keying id-sessions by id alone matters: a partition whose id was unknown when
// it was added (no name) is the same partition once its name resolves.

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

#include "broker/fetch_session/fetch_types.h"

namespace samsa::broker {

struct session_key {
  uuid topic_id;       // zero in name-keyed sessions
  std::string topic;   // empty in id-keyed sessions
  int32_t partition = 0;

  bool operator==(const session_key&) const = default;
};

inline session_key make_session_key(const fetch_partition& p, bool uses_topic_ids) {
  if (uses_topic_ids) return session_key{p.topic_id, {}, p.partition.value()};
  return session_key{uuid{}, p.topic.value_or(std::string{}), p.partition.value()};
}

struct session_key_hash {
  size_t operator()(const session_key& k) const noexcept {
    uint64_t hi = 0, lo = 0;
    std::memcpy(&hi, k.topic_id.bytes.data(), 8);
    std::memcpy(&lo, k.topic_id.bytes.data() + 8, 8);
    size_t h = std::hash<std::string>{}(k.topic);
    h ^= std::hash<uint64_t>{}(hi) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= std::hash<uint64_t>{}(lo) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= std::hash<int32_t>{}(k.partition) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
  }
};

}  // namespace samsa::broker
