#pragma once

// The vocabulary shared by the fetch-session module and the Fetch handler: which
// partition, with what fetch state, and what the handler read for it. Mirrors
// Kafka's TopicIdPartition and FetchRequest.PartitionData.

#include <optional>
#include <string>

#include "common/kafka_types.h"
#include "common/uuid.h"
#include "protocol/generated/fetch.h"

namespace samsa::broker {

// One partition of a Fetch, as Kafka's TopicIdPartition.
//
// Before v13 requests name topics: topic_id is zero and topic is always set.
// From v13 requests carry ids only: topic is the name the broker's metadata
// gives that id, or nullopt when the broker does not know the id (the handler
// answers such a partition with UNKNOWN_TOPIC_ID).
struct fetch_partition {
  uuid topic_id;
  std::optional<std::string> topic;
  partition_id partition{0};

  bool operator==(const fetch_partition&) const = default;
};

// What the fetcher asked for one partition (FetchRequest.PartitionData).
// Epochs the wire carries as -1 ("none") are nullopt here.
struct partition_fetch_state {
  offset fetch_offset{0};
  // The fetcher's own log start offset (followers); -1 from consumers and before v5.
  offset log_start_offset{-1};
  int32_t max_bytes = 0;
  std::optional<leader_epoch> current_leader_epoch;
  std::optional<leader_epoch> last_fetched_epoch;

  bool operator==(const partition_fetch_state&) const = default;
};

// A partition the handler must read, with the state to read it with.
struct partition_to_fetch {
  fetch_partition partition;
  partition_fetch_state state;

  bool operator==(const partition_to_fetch&) const = default;
};

// What the handler produced for one partition: the read, or an error made with
// error_partition_data(). partition_index is filled in by the response builder.
struct partition_result {
  fetch_partition partition;
  protocol::fetch_response::PartitionData data;
};

// Topic id -> name, backed by the broker's metadata image. Called only while a
// context is being created (from v13 requests, and to resolve names of session
// partitions whose ids were unknown when they were added).
//
// Thread-safety: called from any shard, possibly concurrently, while a cache
// shard's lock is held; it must not call back into the fetch-session cache.
class topic_name_resolver {
 public:
  virtual ~topic_name_resolver() = default;
  virtual std::optional<std::string> topic_name(const uuid& topic_id) const = 0;
};

}  // namespace samsa::broker
