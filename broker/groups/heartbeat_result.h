#pragma once

// What a ConsumerGroupHeartbeat produced under the coordinator's mutex: the
// answer, and the records to write before it may leave.

#include <vector>

#include "broker/groups/group_coordinator.h"

namespace samsa::broker::groups {

struct group_coordinator::heartbeat_result {
  protocol::consumer_group_heartbeat_response response;
  std::vector<coordinator_record> records;
};

// ConsumerGroup.computePreferredServerAssignor: the assignor most members
// name, else the first configured.
std::string preferred_consumer_assignor(const consumer_group& g, const std::vector<std::string>& configured);

}  // namespace samsa::broker::groups
