#pragma once

// Which __consumer_offsets partition coordinates a group: Kafka's
// GroupCoordinatorService.partitionFor, Utils.abs(groupId.hashCode()) %
// offsets.topic.num.partitions, with Java's String.hashCode over the UTF-16
// code units of the id (an id that is not valid UTF-8 is hashed byte by byte,
// as Java would see it after decoding each bad byte to U+FFFD).

#include <cstdint>
#include <string_view>

namespace samsa::broker::groups {

inline constexpr const char* kConsumerOffsetsTopic = "__consumer_offsets";

int32_t java_string_hash_code(std::string_view utf8);
// Precondition: partitions > 0.
int32_t coordinator_partition_for(std::string_view group_id, int32_t partitions);

}  // namespace samsa::broker::groups
