// The admin group of the handler table: topics, partitions, configs, cluster.
// Served ranges are Kafka 4.0's (docs/kafka-behaviour/api-versions.md) capped
// by our schemas: CreateTopics 2-7, DeleteTopics 1-6, DescribeConfigs 1-4,
// AlterConfigs 0-2, CreatePartitions 0-3, IncrementalAlterConfigs 0-1,
// DescribeCluster 0-1 (4.0 has 0-2; our schema stops at 1),
// DescribeTopicPartitions 0.
#include "broker/handlers/alter_configs.h"
#include "broker/handlers/create_partitions.h"
#include "broker/handlers/create_topics.h"
#include "broker/handlers/delete_topics.h"
#include "broker/handlers/describe_cluster.h"
#include "broker/handlers/describe_configs.h"
#include "broker/handlers/describe_topic_partitions.h"
#include "broker/handlers/handler_table.h"
#include "broker/handlers/incremental_alter_configs.h"
#include "protocol/generated/api_registry.h"

namespace samsa::broker {
namespace {

constexpr api_handler handlers[] = {
    {protocol::api_keys::create_topics, 2, 7, 2, &handle_create_topics},
    {protocol::api_keys::delete_topics, 1, 6, 1, &handle_delete_topics},
    {protocol::api_keys::describe_configs, 1, 4, 1, &handle_describe_configs},
    {protocol::api_keys::alter_configs, 0, 2, 0, &handle_alter_configs},
    {protocol::api_keys::create_partitions, 0, 3, 0, &handle_create_partitions},
    {protocol::api_keys::incremental_alter_configs, 0, 1, 0, &handle_incremental_alter_configs},
    {protocol::api_keys::describe_cluster, 0, 1, 0, &handle_describe_cluster},
    {protocol::api_keys::describe_topic_partitions, 0, 0, 0, &handle_describe_topic_partitions},
};

}  // namespace

std::span<const api_handler> admin_handlers() { return handlers; }

}  // namespace samsa::broker
