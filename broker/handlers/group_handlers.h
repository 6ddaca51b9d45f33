#pragma once

// The group coordinator's APIs (classic protocol), one .cc file each. Every
// handler checks what KafkaApis and GroupCoordinatorService check before the
// coordinator (broker/groups/group_coordinator.h) does the rest:
//   - an empty group id -> INVALID_GROUP_ID (JoinGroup, SyncGroup, Heartbeat,
//     LeaveGroup, OffsetDelete; OffsetCommit, OffsetFetch, DescribeGroups and
//     DeleteGroups accept it as a group like any other, as Kafka does);
//   - a group whose __consumer_offsets partition this broker does not lead ->
//     NOT_COORDINATOR.

#include "broker/request_context.h"

namespace samsa::broker {

// JoinGroup (11) v0-9: + INVALID_SESSION_TIMEOUT outside
// group.min/max.session.timeout.ms; v0's rebalance timeout is the session timeout.
void handle_join_group(request_context&& ctx);
// SyncGroup (14) v0-5: from v5 a missing protocol type or name is
// INCONSISTENT_GROUP_PROTOCOL (KafkaApis).
void handle_sync_group(request_context&& ctx);
// Heartbeat (12) v0-4.
void handle_heartbeat(request_context&& ctx);
// LeaveGroup (13) v0-5: v0-2 leave one member and answer with its error at
// the top level; v3+ leave a batch and answer per member.
void handle_leave_group(request_context&& ctx);
// OffsetCommit (8) v2-9 (Kafka 4.0's range): unknown topics and partitions ->
// UNKNOWN_TOPIC_OR_PARTITION (KafkaApis); the rest answered once durable.
void handle_offset_commit(request_context&& ctx);
// OffsetFetch (9) v1-9: one group before v8, a batch of groups from v8;
// require_stable (v7+): a partition with a pending transactional offset
// answers UNSTABLE_OFFSET_COMMIT (the client retries), as Kafka.
void handle_offset_fetch(request_context&& ctx);
// ListGroups (16) v0-5: states filter (v4+), types filter (v5+).
void handle_list_groups(request_context&& ctx);
// DescribeGroups (15) v0-5.
void handle_describe_groups(request_context&& ctx);
// DeleteGroups (42) v0-2.
void handle_delete_groups(request_context&& ctx);
// OffsetDelete (47) v0.
void handle_offset_delete(request_context&& ctx);
// ConsumerGroupHeartbeat (68) v0-1 (KIP-848): answered once its records are durable.
void handle_consumer_group_heartbeat(request_context&& ctx);
// ConsumerGroupDescribe (69) v0: a classic or unknown group -> GROUP_ID_NOT_FOUND.
void handle_consumer_group_describe(request_context&& ctx);

}  // namespace samsa::broker
