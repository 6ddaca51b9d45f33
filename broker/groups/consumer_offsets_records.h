#pragma once

// The records the group coordinator keeps in __consumer_offsets, byte for byte
// as Kafka writes them (group-coordinator/src/main/resources/common/message/):
// a key and a value, each a big-endian int16 version followed by the fields of
// that version (not flexible). A null value is a tombstone.
//
//   OffsetCommitKey   v1: group string, topic string, partition int32
//   OffsetCommitValue v3: offset int64, leaderEpoch int32, metadata string,
//                         commitTimestamp int64
//                     v1: offset, metadata, commitTimestamp, expireTimestamp int64
//                         (written only when a v2-4 commit asked for a retention)
//   GroupMetadataKey  v2: group string
//   GroupMetadataValue v3: protocolType string, generation int32, protocol
//                         nullable string, leader nullable string,
//                         currentStateTimestamp int64, members array of
//                         {memberId, groupInstanceId nullable, clientId,
//                          clientHost, rebalanceTimeout int32, sessionTimeout
//                          int32, subscription bytes, assignment bytes}
// Decoding accepts key versions 0-2 and value versions 0-3. See
// docs/formats/consumer_offsets.md.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace samsa::broker::groups {

struct offset_commit_key {
  std::string group;
  std::string topic;
  int32_t partition = 0;
};

struct offset_commit_value {
  int64_t offset = 0;
  int32_t leader_epoch = -1;
  std::string metadata;
  int64_t commit_timestamp_ms = 0;
  std::optional<int64_t> expire_timestamp_ms;
};

struct group_metadata_key {
  std::string group;
};

struct group_member_record {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string client_id;
  std::string client_host;
  int32_t rebalance_timeout_ms = -1;
  int32_t session_timeout_ms = 0;
  std::vector<uint8_t> subscription;
  std::vector<uint8_t> assignment;
};

struct group_metadata_value {
  std::string protocol_type;
  int32_t generation = 0;
  std::optional<std::string> protocol;
  std::optional<std::string> leader;
  int64_t current_state_timestamp_ms = -1;
  std::vector<group_member_record> members;
};

using record_key = std::variant<offset_commit_key, group_metadata_key>;

std::vector<uint8_t> encode_key(const offset_commit_key& k);
std::vector<uint8_t> encode_key(const group_metadata_key& k);
// v3, or v1 when an expire timestamp is set (as Kafka).
std::vector<uint8_t> encode_value(const offset_commit_value& v);
// v3.
std::vector<uint8_t> encode_value(const group_metadata_value& v);

// nullopt: malformed, or a record type this broker does not keep (Kafka's
// consumer-protocol records); the loader skips those.
std::optional<record_key> decode_key(std::span<const uint8_t> bytes);
std::optional<offset_commit_value> decode_offset_commit_value(std::span<const uint8_t> bytes);
std::optional<group_metadata_value> decode_group_metadata_value(std::span<const uint8_t> bytes);

}  // namespace samsa::broker::groups
