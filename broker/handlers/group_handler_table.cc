// The group coordinator's group of the handler table (classic protocol).
// Served ranges are Kafka 4.0's (docs/kafka-behaviour/api-versions.md) capped
// by our schemas: OffsetCommit 2-9, OffsetFetch 1-9, FindCoordinator 0-6,
// JoinGroup 0-9 (4.0.1), Heartbeat 0-4, LeaveGroup 0-5, SyncGroup 0-5,
// DescribeGroups 0-5 (4.0 has 0-6; our schema stops at 5), ListGroups 0-5,
// DeleteGroups 0-2, OffsetDelete 0; the consumer protocol (KIP-848):
// ConsumerGroupHeartbeat 0-1, ConsumerGroupDescribe 0.
#include "broker/handlers/find_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/handler_table.h"
#include "protocol/generated/api_registry.h"

namespace samsa::broker {
namespace {

constexpr api_handler handlers[] = {
    {protocol::api_keys::offset_commit, 2, 9, 2, &handle_offset_commit},
    {protocol::api_keys::offset_fetch, 1, 9, 1, &handle_offset_fetch},
    {protocol::api_keys::find_coordinator, 0, 6, 0, &handle_find_coordinator},
    {protocol::api_keys::join_group, 0, 9, 0, &handle_join_group},
    {protocol::api_keys::heartbeat, 0, 4, 0, &handle_heartbeat},
    {protocol::api_keys::leave_group, 0, 5, 0, &handle_leave_group},
    {protocol::api_keys::sync_group, 0, 5, 0, &handle_sync_group},
    {protocol::api_keys::describe_groups, 0, 5, 0, &handle_describe_groups},
    {protocol::api_keys::list_groups, 0, 5, 0, &handle_list_groups},
    {protocol::api_keys::delete_groups, 0, 2, 0, &handle_delete_groups},
    {protocol::api_keys::offset_delete, 0, 0, 0, &handle_offset_delete},
    {protocol::api_keys::consumer_group_heartbeat, 0, 1, 0, &handle_consumer_group_heartbeat},
    {protocol::api_keys::consumer_group_describe, 0, 0, 0, &handle_consumer_group_describe},
};

}  // namespace

std::span<const api_handler> group_handlers() { return handlers; }

}  // namespace samsa::broker
