#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// DescribeTopicPartitions (key 75, v0): topics in name order with their
// partitions, at most min(response_partition_limit,
// max.request.partition.size.limit) partitions per response; next_cursor
// points at the first partition left out. Kafka's
// DescribeTopicPartitionsRequestHandler and KRaftMetadataCache rules,
// including INVALID_REQUEST for a cursor topic not in the list or a negative
// cursor partition.
void handle_describe_topic_partitions(request_context&& ctx);

}  // namespace samsa::broker
