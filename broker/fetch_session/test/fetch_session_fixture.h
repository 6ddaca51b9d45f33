#pragma once

// Builders shared by the fetch-session tests: topic ids, a map-backed
// resolver, requests as a broker would decode them at a given version (they
// go through the wire codec, so fields a version lacks are at their defaults),
// results, and readable views of contexts and responses.

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "broker/fetch_session/fetch_context.h"
#include "broker/fetch_session/fetch_metadata.h"
#include "broker/fetch_session/fetch_session_cache.h"
#include "broker/fetch_session/response_builder.h"
#include "protocol/wire/encoded_message.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace samsa::broker::testing {

inline constexpr int16_t latest_version = 17;
inline constexpr int16_t last_name_version = 12;

inline uuid topic_id(uint8_t n) {
  uuid u;
  u.bytes[0] = 0xAB;
  u.bytes[15] = n;
  return u;
}

// Topic id -> name from a map the test changes as "the metadata" changes.
class map_resolver final : public topic_name_resolver {
 public:
  map_resolver() = default;
  map_resolver(std::initializer_list<std::pair<const uuid, std::string>> names) : names_(names) {}
  std::optional<std::string> topic_name(const uuid& id) const override {
    auto it = names_.find(id);
    if (it == names_.end()) return std::nullopt;
    return it->second;
  }
  void set(const uuid& id, std::string name) { names_[id] = std::move(name); }
  void erase(const uuid& id) { names_.erase(id); }

 private:
  std::map<uuid, std::string> names_;
};

// A topic as the test sees it: a name and an id.
struct topic {
  std::string name;
  uuid id;
};

struct part_args {
  int64_t fetch_offset = 0;
  int32_t max_bytes = 100;
  int32_t current_leader_epoch = -1;
  int32_t last_fetched_epoch = -1;
  int64_t log_start_offset = 0;
};

// A Fetch request as a client builds it (consecutive partitions of one topic
// share a FetchTopic, as Kafka's FetchRequest.Builder does), then put through
// encode + decode at `version`.
class request_builder {
 public:
  request_builder(int16_t version, int32_t session_id, int32_t epoch) : version_(version) {
    req_.session_id = session_id;
    req_.session_epoch = epoch;
    req_.replica_id = -1;
  }
  static request_builder sessionless(int16_t v = latest_version) { return {v, invalid_session_id, final_epoch}; }
  static request_builder initial(int16_t v = latest_version) { return {v, invalid_session_id, initial_epoch}; }

  request_builder& add(const topic& t, int32_t partition, part_args a = {}) {
    if (req_.topics.empty() || req_.topics.back().topic != t.name || req_.topics.back().topic_id != t.id) {
      protocol::fetch_request::FetchTopic ft;
      ft.topic = t.name;
      ft.topic_id = t.id;
      req_.topics.push_back(std::move(ft));
    }
    protocol::fetch_request::FetchPartition p;
    p.partition = partition;
    p.fetch_offset = a.fetch_offset;
    p.partition_max_bytes = a.max_bytes;
    p.current_leader_epoch = a.current_leader_epoch;
    p.last_fetched_epoch = a.last_fetched_epoch;
    p.log_start_offset = a.log_start_offset;
    req_.topics.back().partitions.push_back(p);
    return *this;
  }
  request_builder& forget(const topic& t, int32_t partition) {
    if (req_.forgotten_topics_data.empty() || req_.forgotten_topics_data.back().topic != t.name ||
        req_.forgotten_topics_data.back().topic_id != t.id) {
      protocol::fetch_request::ForgottenTopic ft;
      ft.topic = t.name;
      ft.topic_id = t.id;
      req_.forgotten_topics_data.push_back(std::move(ft));
    }
    req_.forgotten_topics_data.back().partitions.push_back(partition);
    return *this;
  }

  int16_t version() const { return version_; }

  // What the broker decodes.
  protocol::fetch_request decoded() const {
    protocol::encoded_message out;
    {
      protocol::writer w(out);
      req_.encode(w, version_);
    }
    std::vector<uint8_t> bytes = out.flatten();
    protocol::reader r(bytes);
    protocol::fetch_request decoded;
    decoded.decode(r, version_);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.remaining(), 0u);
    return decoded;
  }

 private:
  int16_t version_;
  protocol::fetch_request req_;
};

inline fetch_context new_context(fetch_session_cache& cache, const request_builder& b,
                                 const topic_name_resolver& resolver, int64_t now_ms, bool is_follower = false) {
  return cache.new_context(b.decoded(), b.version(), is_follower, resolver, now_ms);
}

// fetch_partition as the context should report it.
inline fetch_partition fp(const topic& t, int32_t partition, int16_t version = latest_version) {
  if (version >= 13) return fetch_partition{t.id, t.name, partition_id{partition}};
  return fetch_partition{uuid{}, t.name, partition_id{partition}};
}
inline fetch_partition unresolved(const topic& t, int32_t partition) {
  return fetch_partition{t.id, std::nullopt, partition_id{partition}};
}

inline protocol::fetch_response::PartitionData data(int64_t high_watermark, int64_t log_start_offset = 0) {
  protocol::fetch_response::PartitionData d;
  d.high_watermark = high_watermark;
  d.last_stable_offset = high_watermark;
  d.log_start_offset = log_start_offset;
  return d;
}
inline protocol::fetch_response::PartitionData with_records(protocol::fetch_response::PartitionData d, size_t n = 10) {
  d.records = protocol::records::owned(std::vector<uint8_t>(n, 0x5A));
  return d;
}
inline protocol::fetch_response::PartitionData error_data(protocol::error_code e) { return error_partition_data(e); }

// Answers every partition of the context with `make(partition)`, in context order.
template <typename F>
std::vector<partition_result> answer_all(const fetch_context& ctx, F make) {
  std::vector<partition_result> out;
  for (const auto& p : ctx.partitions()) out.push_back(partition_result{p.partition, make(p.partition)});
  return out;
}
// Unknown topic ids get UNKNOWN_TOPIC_ID, the rest `d`.
inline std::vector<partition_result> answer_all_with(const fetch_context& ctx,
                                                     const protocol::fetch_response::PartitionData& d) {
  return answer_all(ctx, [&](const fetch_partition& p) {
    return p.topic ? d : error_data(protocol::error_code::unknown_topic_id);
  });
}

inline std::vector<fetch_partition> partitions_of(const fetch_context& ctx) {
  std::vector<fetch_partition> out;
  for (const auto& p : ctx.partitions()) out.push_back(p.partition);
  return out;
}

// "name-partition" for each response partition in order; a topic without a
// name shows as "#<last byte of its id>".
inline std::vector<std::string> names_in(const protocol::fetch_response& r) {
  std::vector<std::string> out;
  for (const auto& t : r.responses) {
    std::string name = t.topic.empty() ? "#" + std::to_string(t.topic_id.bytes[15]) : t.topic;
    for (const auto& p : t.partitions) out.push_back(name + "-" + std::to_string(p.partition_index));
  }
  return out;
}
inline int16_t error_of(const protocol::fetch_response& r, const std::string& name_partition) {
  for (const auto& t : r.responses) {
    std::string name = t.topic.empty() ? "#" + std::to_string(t.topic_id.bytes[15]) : t.topic;
    for (const auto& p : t.partitions)
      if (name + "-" + std::to_string(p.partition_index) == name_partition) return p.error_code;
  }
  ADD_FAILURE() << "no partition " << name_partition << " in the response";
  return -2;
}

inline fetch_session_cache_config one_shard(int32_t max_sessions, int64_t eviction_ms) {
  return fetch_session_cache_config{
      .max_sessions = max_sessions, .eviction_ms = eviction_ms, .shard_count = 1, .seed = 42};
}

}  // namespace samsa::broker::testing
