#include "broker/fetch_session/request_partitions.h"

#include <unordered_map>

namespace samsa::broker {
namespace {

// The wire says "no epoch" with any negative value (Kafka's optionalEpoch).
std::optional<leader_epoch> optional_epoch(int32_t raw) {
  if (raw < 0) return std::nullopt;
  return leader_epoch{raw};
}

}  // namespace

fetch_metadata request_metadata(const protocol::fetch_request& request, int16_t version) {
  if (version < first_session_fetch_version) return fetch_metadata{invalid_session_id, final_epoch};
  return fetch_metadata{request.session_id, request.session_epoch};
}

std::vector<partition_to_fetch> request_fetch_data(const protocol::fetch_request& request, int16_t version,
                                                   const topic_name_resolver& resolver) {
  const bool uses_topic_ids = version >= first_topic_id_fetch_version;
  std::vector<partition_to_fetch> out;
  std::unordered_map<session_key, size_t, session_key_hash> position;
  for (const auto& topic : request.topics) {
    fetch_partition id;
    if (uses_topic_ids) {
      id.topic_id = topic.topic_id;
      id.topic = resolver.topic_name(topic.topic_id);
    } else {
      id.topic = topic.topic;  // topic ids are not on the wire before v13
    }
    for (const auto& p : topic.partitions) {
      id.partition = partition_id{p.partition};
      partition_fetch_state state{
          .fetch_offset = offset{p.fetch_offset},
          .log_start_offset = offset{p.log_start_offset},
          .max_bytes = p.partition_max_bytes,
          .current_leader_epoch = optional_epoch(p.current_leader_epoch),
          .last_fetched_epoch = optional_epoch(p.last_fetched_epoch),
      };
      auto [it, inserted] = position.try_emplace(make_session_key(id, uses_topic_ids), out.size());
      if (inserted) {
        out.push_back(partition_to_fetch{id, state});
      } else {
        out[it->second].state = state;
      }
    }
  }
  return out;
}

std::vector<session_key> request_forgotten(const protocol::fetch_request& request, int16_t version) {
  const bool uses_topic_ids = version >= first_topic_id_fetch_version;
  std::vector<session_key> out;
  if (version < first_session_fetch_version) return out;
  for (const auto& topic : request.forgotten_topics_data) {
    for (int32_t p : topic.partitions) {
      if (uses_topic_ids) {
        out.push_back(session_key{topic.topic_id, {}, p});
      } else {
        out.push_back(session_key{uuid{}, topic.topic, p});
      }
    }
  }
  return out;
}

}  // namespace samsa::broker
