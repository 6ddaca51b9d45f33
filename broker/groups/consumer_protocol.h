#pragma once

// The consumer protocol embedded in the classic group protocol (Kafka's
// ConsumerProtocolSubscription and ConsumerProtocolAssignment, versions 0-3,
// not flexible): what a classic member's JoinGroup metadata and SyncGroup
// assignment bytes hold. Used where classic members live in a consumer group
// (online migration between the protocols).
//
//   Subscription: Version int16, Topics [string], UserData nullable bytes,
//                 OwnedPartitions (v1+) [Topic string, Partitions [int32]],
//                 GenerationId (v2+) int32, RackId (v3+) nullable string
//   Assignment:   Version int16, AssignedPartitions [Topic string, Partitions [int32]],
//                 UserData nullable bytes

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace samsa::broker::groups {

using named_partitions = std::map<std::string, std::set<int32_t>>;

struct consumer_subscription {
  int16_t version = 0;
  std::vector<std::string> topics;
  named_partitions owned_partitions;
  int32_t generation_id = -1;
  std::optional<std::string> rack_id;
};

// nullopt: malformed (Kafka's SchemaException).
std::optional<consumer_subscription> parse_consumer_subscription(std::span<const uint8_t> bytes);
std::optional<named_partitions> parse_consumer_assignment(std::span<const uint8_t> bytes);
// ConsumerProtocol.serializeAssignment at `version` (clamped to 0-3), no user data.
std::vector<uint8_t> serialize_consumer_assignment(const named_partitions& a, int16_t version);
// ConsumerProtocol.deserializeVersion: the leading int16 (0 when absent).
int16_t consumer_protocol_version(std::span<const uint8_t> bytes);

}  // namespace samsa::broker::groups
