#pragma once

// What every group handler checks before the coordinator sees a request:
// that this broker coordinates the group (it leads the group's partition of
// __consumer_offsets: else NOT_COORDINATOR, as Kafka's coordinator runtime
// answers for a partition it does not host), and how Kafka names the client
// host ("/1.2.3.4").

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "broker/request_context.h"
#include "protocol/error_code.h"

namespace samsa::broker {

namespace groups {
class group_coordinator;
}
struct metadata_image;

// Null when the broker runs without a group coordinator (tests of other parts).
groups::group_coordinator* group_coordinator_of(const request_context& ctx);

// NOT_COORDINATOR unless this broker leads the group's coordinator partition;
// COORDINATOR_NOT_AVAILABLE without a coordinator.
protocol::error_code check_group_coordinator(const request_context& ctx, const std::string& group_id);

// Kafka's InetAddress.toString of the peer: "/" + its address.
std::string client_host_of(const request_context& ctx);

// Kafka's OffsetCommitResponse.Builder / OffsetDeleteResponse.Builder: a topic
// is placed where it is first added, its partitions in the order added; the
// handler adds the partitions it answers itself (unknown topics) first, then
// merges the coordinator's answer, so clients see them in Kafka's order.
template <typename Topic>
class topic_response_builder {
 public:
  using topic_type = Topic;
  template <typename Partition>
  void add(const std::string& topic, Partition p) {
    auto [it, fresh] = index_.try_emplace(topic, topics_.size());
    if (fresh) topics_.emplace_back().name = topic;
    topics_[it->second].partitions.push_back(std::move(p));
  }
  void merge(const std::vector<Topic>& from) {
    for (const auto& t : from)
      for (const auto& p : t.partitions) add(t.name, p);
  }
  std::vector<Topic> take() { return std::move(topics_); }

 private:
  std::vector<Topic> topics_;
  std::map<std::string, size_t> index_;
};

// Whether a topic partition exists in the metadata image the request sees
// (taken once, at construction).
class known_partitions {
 public:
  explicit known_partitions(const request_context& ctx);
  bool operator()(const std::string& topic, int32_t partition) const;

 private:
  std::shared_ptr<const metadata_image> image_;
};

// KafkaApis' first pass over an OffsetCommit, TxnOffsetCommit or OffsetDelete: partitions the
// broker does not know (is_known(topic, partition) is false) are answered
// UNKNOWN_TOPIC_OR_PARTITION into `answer`; the returned copy of the request
// keeps the others, for the coordinator.
template <typename Request, typename Builder, typename IsKnown>
Request keep_known_partitions(const Request& request, Builder& answer, IsKnown&& is_known) {
  using request_topic = typename decltype(Request::topics)::value_type;
  Request valid = request;
  valid.topics.clear();
  for (const auto& t : request.topics) {
    request_topic kept;
    kept.name = t.name;
    for (const auto& p : t.partitions) {
      if (is_known(t.name, p.partition_index)) {
        kept.partitions.push_back(p);
      } else {
        typename decltype(std::declval<typename Builder::topic_type&>().partitions)::value_type rp;
        rp.partition_index = p.partition_index;
        rp.error_code = static_cast<int16_t>(protocol::error_code::unknown_topic_or_partition);
        answer.add(t.name, rp);
      }
    }
    if (!kept.partitions.empty()) valid.topics.push_back(std::move(kept));
  }
  return valid;
}

// A response that answers every partition of `request` with the error `e`.
template <typename Response, typename Request>
Response every_partition_failed(const Request& request, protocol::error_code e) {
  Response r;
  for (const auto& t : request.topics) {
    auto& rt = r.topics.emplace_back();
    rt.name = t.name;
    for (const auto& p : t.partitions) {
      auto& rp = rt.partitions.emplace_back();
      rp.partition_index = p.partition_index;
      rp.error_code = static_cast<int16_t>(e);
    }
  }
  return r;
}

}  // namespace samsa::broker
