#pragma once

// What every group handler checks before the coordinator sees a request:
// that this broker coordinates the group (it leads the group's partition of
// __consumer_offsets: else NOT_COORDINATOR, as Kafka's coordinator runtime
// answers for a partition it does not host), and how Kafka names the client
// host ("/1.2.3.4").

#include <map>
#include <string>
#include <vector>

#include "broker/request_context.h"
#include "protocol/error_code.h"

namespace samsa::broker {

namespace groups {
class group_coordinator;
}

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

}  // namespace samsa::broker
