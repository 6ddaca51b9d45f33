#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// OffsetForLeaderEpoch (key 23), v2-4: Kafka 4.0's ReplicaManager.lastOffsetForLeaderEpoch
// and Partition.lastOffsetForLeaderEpoch, answered from the log's leader epoch
// cache: the largest epoch <= the requested one and where it ends (the log end
// for the latest epoch); (-1, -1) for an epoch older than the cache knows.
// UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR,
// FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH against current_leader_epoch.
void handle_offset_for_leader_epoch(request_context&& ctx);

}  // namespace samsa::broker
