#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// ListOffsets (key 2), v1-10: Kafka 4.0's handleListOffsetRequestV1AndAbove and
// ReplicaManager.fetchOffset / Partition.fetchOffsetForTimestamp.
//   - a partition named twice -> INVALID_REQUEST (answered once);
//   - a special timestamp the version does not know (-3 before v7, -4 before
//     v8, -5 before v9, any other negative) -> UNSUPPORTED_VERSION;
//   - UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH /
//     UNKNOWN_LEADER_EPOCH against current_leader_epoch, KAFKA_STORAGE_ERROR;
//   - latest (-1): the high watermark (READ_UNCOMMITTED), the last stable
//     offset (READ_COMMITTED), or the log end (replicas), with the leader epoch;
//   - earliest (-2), earliest-local (-4): the log start offset;
//   - a timestamp, max timestamp (-3), latest-tiered (-5): the log's answer,
//     dropped (offset -1) when it lies at or past the last fetchable offset.
// Leader epochs are returned from v4.
void handle_list_offsets(request_context&& ctx);

}  // namespace samsa::broker
