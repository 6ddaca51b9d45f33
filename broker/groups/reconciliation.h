#pragma once

// Kafka's CurrentAssignmentBuilder: moves one member of a consumer group from
// its current assignment towards its target assignment, one safe step at a
// time. A partition is given to a member only once its previous owner has
// released it (the group's partition epoch is -1); a member that must give
// partitions up stays at its epoch in UNREVOKED_PARTITIONS until its heartbeat
// no longer lists them.
//
// Pure: no clock, no records; the caller writes the result.

#include <functional>
#include <optional>
#include <vector>

#include "broker/groups/consumer_group.h"

namespace samsa::broker::groups {

// The owned partitions a heartbeat reported (null: not sent, as an
// incremental heartbeat leaves them out).
using owned_partitions = std::optional<topic_assignment>;

// `partition_epoch(topic, partition)`: the epoch of the member currently
// owning it, or -1. Returns the member's next assignment state (epochs, state,
// assigned and pending-revocation partitions); its other fields are copied.
consumer_member reconcile(const consumer_member& member, int32_t target_epoch, const topic_assignment& target,
                          const std::function<int32_t(const uuid&, int32_t)>& partition_epoch,
                          const owned_partitions& owned);

}  // namespace samsa::broker::groups
