#pragma once

// The records of KIP-848 consumer groups in __consumer_offsets, byte for byte
// as Kafka 4.0 writes them (group-coordinator/src/main/resources/common/message/
// ConsumerGroup*.json). A key is an int16 record type followed by its fields
// (not flexible); a value is an int16 version (0) followed by its fields in
// the flexible encoding (compact strings and arrays, an empty tagged-field
// section). A null value is a tombstone.
//
//   type key fields             value (version 0)
//   3    GroupId                ConsumerGroupMetadataValue: Epoch int32
//   4    GroupId                ConsumerGroupPartitionMetadataValue: Topics [TopicId uuid,
//                               TopicName, NumPartitions int32, PartitionMetadata [] (empty)]
//   5    GroupId, MemberId      ConsumerGroupMemberMetadataValue: InstanceId?, RackId?, ClientId,
//                               ClientHost, SubscribedTopicNames [], SubscribedTopicRegex?,
//                               RebalanceTimeoutMs int32, ServerAssignor?
//   6    GroupId                ConsumerGroupTargetAssignmentMetadataValue: AssignmentEpoch int32
//   7    GroupId, MemberId      ConsumerGroupTargetAssignmentMemberValue: TopicPartitions
//                               [TopicId uuid, Partitions []int32]
//   8    GroupId, MemberId      ConsumerGroupCurrentMemberAssignmentValue: MemberEpoch int32,
//                               PreviousMemberEpoch int32, State int8, AssignedPartitions
//                               [TopicId, Partitions], PartitionsPendingRevocation [same]
//   16   GroupId, RegularExpression
//                               ConsumerGroupRegularExpressionValue: Topics []string,
//                               Version int64, Timestamp int64
// Tagged fields written by later Kafka versions are skipped when read.
// See docs/formats/consumer_offsets.md.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "broker/groups/consumer_group.h"

namespace samsa::broker::groups {

enum class consumer_record_type : int16_t {
  group_metadata = 3,
  partition_metadata = 4,
  member_metadata = 5,
  target_assignment_metadata = 6,
  target_assignment_member = 7,
  current_member_assignment = 8,
  regular_expression = 16,
};

struct consumer_record_key {
  consumer_record_type type = consumer_record_type::group_metadata;
  std::string group_id;
  std::string member_id;  // types 5, 7 and 8
  std::string regex;      // type 16
};

std::vector<uint8_t> encode_consumer_key(const consumer_record_key& k);
// nullopt: not a consumer group record (or malformed).
std::optional<consumer_record_key> decode_consumer_key(std::span<const uint8_t> bytes);

std::vector<uint8_t> encode_group_epoch_value(int32_t epoch);
std::vector<uint8_t> encode_partition_metadata_value(const std::map<std::string, subscribed_topic>& topics);
// The member's metadata fields (ConsumerGroupMemberMetadataValue).
std::vector<uint8_t> encode_member_metadata_value(const consumer_member& m);
std::vector<uint8_t> encode_assignment_epoch_value(int32_t epoch);
std::vector<uint8_t> encode_target_member_value(const topic_assignment& a);
// The member's assignment fields (ConsumerGroupCurrentMemberAssignmentValue).
std::vector<uint8_t> encode_current_assignment_value(const consumer_member& m);

std::optional<int32_t> decode_epoch_value(std::span<const uint8_t> bytes);  // types 3 and 6
std::optional<std::map<std::string, subscribed_topic>> decode_partition_metadata_value(std::span<const uint8_t> bytes);
// Fills the metadata fields of `into`.
bool decode_member_metadata_value(std::span<const uint8_t> bytes, consumer_member& into);
std::optional<topic_assignment> decode_target_member_value(std::span<const uint8_t> bytes);
// Fills the assignment fields of `into`.
bool decode_current_assignment_value(std::span<const uint8_t> bytes, consumer_member& into);
std::vector<uint8_t> encode_regex_value(const resolved_regex& r);
std::optional<resolved_regex> decode_regex_value(std::span<const uint8_t> bytes);

}  // namespace samsa::broker::groups
