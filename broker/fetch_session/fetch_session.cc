#include "broker/fetch_session/fetch_session.h"

#include <utility>

#include "common/assert.h"

namespace samsa::broker {

bool cached_partition::must_respond(const protocol::fetch_response::PartitionData& data) const {
  return data.records.size() > 0                                 // new records
         || high_watermark.value() != data.high_watermark        //
         || local_log_start_offset.value() != data.log_start_offset  //
         || data.preferred_read_replica != -1                    // KIP-392: the consumer must learn it
         || data.error_code != 0                                 // errors are always sent
         || data.diverging_epoch.epoch >= 0;                     // KIP-320: the follower must truncate
}

void cached_partition::record_sent(const protocol::fetch_response::PartitionData& data) {
  high_watermark = offset{data.error_code != 0 ? -1 : data.high_watermark};
  local_log_start_offset = offset{data.log_start_offset};
}

fetch_session::fetch_session(int32_t id, bool privileged, bool uses_topic_ids, int64_t creation_ms,
                             std::vector<cached_partition> partitions)
    : id_(id),
      privileged_(privileged),
      uses_topic_ids_(uses_topic_ids),
      creation_ms_(creation_ms),
      last_used_ms_(creation_ms),
      // A new session expects epoch 1 next.
      epoch_(next_epoch(initial_epoch)) {
  index_.reserve(partitions.size());
  for (auto& p : partitions) {
    session_key key = make_session_key(p.partition, uses_topic_ids_);
    auto it = partitions_.insert(partitions_.end(), std::move(p));
    bool inserted = index_.emplace(std::move(key), it).second;
    SAMSA_ASSERT(inserted, "fetch session created with a partition listed twice");
  }
}

fetch_session::update_counts fetch_session::update(const std::vector<partition_to_fetch>& fetch_data,
                                                   const std::vector<session_key>& to_forget) {
  update_counts counts;
  for (const auto& p : fetch_data) {
    session_key key = make_session_key(p.partition, uses_topic_ids_);
    if (cached_partition* existing = find(key)) {
      existing->state = p.state;  // the name stays as cached; see partitions_to_fetch
      ++counts.updated;
    } else {
      auto it = partitions_.insert(partitions_.end(), cached_partition{p.partition, p.state});
      index_.emplace(std::move(key), it);
      ++counts.added;
    }
  }
  for (const auto& key : to_forget) {
    auto it = index_.find(key);
    if (it == index_.end()) continue;
    partitions_.erase(it->second);
    index_.erase(it);
    ++counts.removed;
  }
  return counts;
}

std::vector<partition_to_fetch> fetch_session::partitions_to_fetch(const topic_name_resolver& resolver) {
  std::vector<partition_to_fetch> out;
  out.reserve(partitions_.size());
  for (auto& p : partitions_) {
    if (uses_topic_ids_ && !p.partition.topic) p.partition.topic = resolver.topic_name(p.partition.topic_id);
    out.push_back(partition_to_fetch{p.partition, p.state});
  }
  return out;
}

cached_partition* fetch_session::find(const session_key& key) {
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &*it->second;
}

void fetch_session::move_to_end(const session_key& key) {
  auto it = index_.find(key);
  SAMSA_ASSERT(it != index_.end(), "rotating a partition the session does not hold");
  // splice keeps the iterator (and so index_) valid.
  partitions_.splice(partitions_.end(), partitions_, it->second);
}

}  // namespace samsa::broker
