#pragma once

// The server-side assignors of consumer groups, selected by the name in
// group.consumer.assignors or a member's ServerAssignor:
//   - "uniform" (Kafka's UniformAssignor, the default): every member gets as
//     close to the same number of partitions of the topics it subscribes to
//     as possible, and keeps what it already had in the target assignment
//     whenever that keeps the balance (sticky);
//   - "range" (Kafka's RangeAssignor): per topic, the members subscribed to
//     it, sorted by member id, get contiguous ranges; the first
//     (partitions % members) get one more.
// Pure functions of their input; deterministic (members and topics are
// visited in sorted order).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "broker/groups/consumer_group.h"

namespace samsa::broker::groups {

struct assignment_member {
  std::set<uuid> subscribed_topic_ids;
  topic_assignment current_target;  // the member's previous target assignment
};

struct assignment_input {
  std::map<std::string, assignment_member> members;  // by member id
  std::map<uuid, int32_t> topic_partitions;          // partition counts of the subscribed topics
};

using assignment_output = std::map<std::string, topic_assignment>;  // every input member, maybe empty

assignment_output assign_uniform(const assignment_input& in);
assignment_output assign_range(const assignment_input& in);

// The short name of an assignor: "uniform" for "uniform" or Kafka's class
// name org.apache.kafka.coordinator.group.assignor.UniformAssignor, "range"
// likewise; nullopt for any other name.
std::optional<std::string> assignor_short_name(std::string_view configured);
assignment_output run_assignor(std::string_view short_name, const assignment_input& in);

}  // namespace samsa::broker::groups
