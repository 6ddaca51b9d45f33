#pragma once

// Planning of the topic operations, as Kafka's ReplicationControlManager does
// them: validation against the current image, the records that make the
// change, and the answer. Nothing is applied here (see plan_context.h).
//
// Record order within an operation is Kafka's: for each created topic its
// TopicRecord, then its ConfigRecords, then its PartitionRecords (ascending
// partition ids).

#include <optional>
#include <vector>

#include "broker/controller/controller.h"
#include "broker/controller/metadata_records.h"
#include "broker/controller/plan_context.h"
#include "protocol/generated/create_partitions.h"
#include "protocol/generated/create_topics.h"

namespace samsa::broker {

struct create_topics_plan {
  std::vector<metadata_record> records;
  protocol::create_topics_response response;  // one result per requested topic, in order
  std::optional<api_error> request_error;     // set: every topic fails with it, nothing is written
};

create_topics_plan plan_create_topics(const plan_context& ctx,
                                      const std::vector<protocol::create_topics_request::CreatableTopic>& topics,
                                      random_uuid_source& ids);

struct delete_topics_plan {
  std::vector<metadata_record> records;
  std::vector<topic_deletion_result> results;
  std::optional<api_error> request_error;
};

delete_topics_plan plan_delete_topics(const plan_context& ctx, const std::vector<uuid>& topic_ids);

struct create_partitions_plan {
  std::vector<metadata_record> records;
  std::vector<protocol::create_partitions_response::CreatePartitionsTopicResult> results;
  std::optional<api_error> request_error;
};

create_partitions_plan plan_create_partitions(
    const plan_context& ctx, const std::vector<protocol::create_partitions_request::CreatePartitionsTopic>& topics);

// The PartitionRecord of a new partition on this single node: replicas as
// given, ISR = replicas, leader = first replica, leader and partition epoch 0.
protocol::partition_record new_partition_record(const uuid& topic_id, int32_t partition,
                                                const std::vector<int32_t>& replicas);

// POLICY_VIOLATION "Unable to perform excessively large batch operation." —
// what Kafka answers when an operation needs more than max_records_per_user_op.
api_error too_many_records_error();

}  // namespace samsa::broker
