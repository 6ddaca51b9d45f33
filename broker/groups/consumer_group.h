#pragma once

// One consumer group of the KIP-848 protocol (Kafka's ConsumerGroup and
// ConsumerGroupMember): the group epoch, the target assignment and its epoch,
// the members with their current assignment, and the epoch at which each
// partition is currently owned. Plain data with the rules Kafka keeps on the
// group itself (state, partition epochs, offset commit validation); the
// heartbeat state machine that moves it is group_coordinator's
// (consumer_group_heartbeat.cc), the reconciliation is reconciliation.h.
//
// Thread-safety: none; the coordinator guards every group with its mutex.
//
// Invariants:
//   1. partition_epochs holds exactly the partitions of every member's
//      assigned_partitions and partitions_pending_revocation, each with that
//      member's epoch; no partition is held by two members.
//   2. static_members maps each instance id to the member carrying it.
//   3. assignment_epoch <= group_epoch.
//   4. resolved_regexes holds only regular expressions some member subscribes
//      to (a regex may be subscribed and not yet resolved).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/uuid.h"
#include "protocol/error_code.h"

namespace samsa::broker::groups {

// Partitions by topic id (Kafka's Map<Uuid, Set<Integer>>).
using topic_assignment = std::map<uuid, std::set<int32_t>>;

// Kafka's MemberState (the byte stored in ConsumerGroupCurrentMemberAssignmentValue).
enum class member_state : int8_t { stable = 0, unrevoked_partitions = 1, unreleased_partitions = 2, unknown = 127 };

// Kafka's ConsumerGroup.ConsumerGroupState, by its names.
enum class consumer_group_state { empty, assigning, reconciling, stable, dead };
std::string_view consumer_state_name(consumer_group_state s);  // "Empty", "Assigning", ...

// Sentinel member epochs of ConsumerGroupHeartbeat.
constexpr int32_t leave_group_member_epoch = -1;
constexpr int32_t leave_group_static_member_epoch = -2;

// A classic member living in a consumer group (online migration): the
// protocols of its JoinGroup (ConsumerGroupMemberMetadataValue's tagged
// ClassicMemberMetadata).
struct classic_protocol {
  std::string name;
  std::vector<uint8_t> metadata;
  bool operator==(const classic_protocol&) const = default;
};
struct classic_member_metadata {
  int32_t session_timeout_ms = 0;
  std::vector<classic_protocol> supported_protocols;  // in the member's order of preference
  bool operator==(const classic_member_metadata&) const = default;
};

struct consumer_member {
  std::string member_id;
  // ---- ConsumerGroupMemberMetadataValue ----
  std::optional<std::string> instance_id;
  std::optional<std::string> rack_id;
  std::string client_id;
  std::string client_host;
  std::vector<std::string> subscribed_topic_names;  // sorted, as Kafka's
  std::optional<std::string> subscribed_topic_regex;
  int32_t rebalance_timeout_ms = -1;
  std::optional<std::string> server_assignor;
  // Set when the member uses the classic protocol (JoinGroup/SyncGroup/Heartbeat).
  std::optional<classic_member_metadata> classic;
  // ---- ConsumerGroupCurrentMemberAssignmentValue ----
  int32_t member_epoch = 0;
  int32_t previous_member_epoch = 0;
  member_state state = member_state::stable;
  topic_assignment assigned_partitions;
  topic_assignment partitions_pending_revocation;
  // ---- timers (not durable) ----
  std::optional<int64_t> session_deadline_ms;
  // The revocation deadline while UNREVOKED_PARTITIONS, with the epoch it
  // was armed for (Kafka's rebalance timeout key).
  std::optional<int64_t> rebalance_deadline_ms;
  int32_t rebalance_deadline_epoch = 0;
  // Classic members only (Kafka's consumerGroupJoinKey / consumerGroupSyncKey):
  // told to rejoin, it must JoinGroup within its rebalance timeout; joined,
  // it must SyncGroup within it. Either missed fences the member.
  std::optional<int64_t> classic_join_deadline_ms;
  std::optional<int64_t> classic_sync_deadline_ms;

  bool same_metadata(const consumer_member& o) const {
    return instance_id == o.instance_id && rack_id == o.rack_id && client_id == o.client_id &&
           client_host == o.client_host && subscribed_topic_names == o.subscribed_topic_names &&
           subscribed_topic_regex == o.subscribed_topic_regex && rebalance_timeout_ms == o.rebalance_timeout_ms &&
           server_assignor == o.server_assignor && classic == o.classic;
  }
  bool uses_classic_protocol() const { return classic.has_value(); }
  bool same_assignment(const consumer_member& o) const {
    return member_epoch == o.member_epoch && previous_member_epoch == o.previous_member_epoch && state == o.state &&
           assigned_partitions == o.assigned_partitions &&
           partitions_pending_revocation == o.partitions_pending_revocation;
  }
};

// A subscribed topic as the group last saw it (ConsumerGroupPartitionMetadataValue).
struct subscribed_topic {
  uuid id;
  int32_t num_partitions = 0;
  bool operator==(const subscribed_topic&) const = default;
};

// A regular expression of the group resolved against the topics of the
// metadata image (Kafka's ResolvedRegularExpression, stored as
// ConsumerGroupRegularExpressionValue).
struct resolved_regex {
  std::set<std::string> topics;
  int64_t version = -1;      // the metadata image offset it was resolved against
  int64_t timestamp_ms = 0;  // when it was resolved (wall clock)
  bool operator==(const resolved_regex&) const = default;
};

// Whether a member subscribes with a regular expression (Kafka's isNotEmpty).
inline bool has_regex(const std::optional<std::string>& regex) { return regex && !regex->empty(); }

class consumer_group {
 public:
  explicit consumer_group(std::string id) : group_id(std::move(id)) {}

  std::string group_id;
  int32_t group_epoch = 0;
  int32_t assignment_epoch = 0;  // Invariant 3
  std::map<std::string, consumer_member> members;
  std::map<std::string, std::string> static_members;  // Invariant 2
  std::map<std::string, topic_assignment> target_assignment;  // by member id
  std::map<std::string, subscribed_topic> subscription_metadata;  // by topic name
  std::map<std::pair<uuid, int32_t>, int32_t> partition_epochs;  // Invariant 1
  std::map<std::string, resolved_regex> resolved_regexes;        // Invariant 4

  consumer_group_state state() const;
  bool empty() const { return members.empty(); }

  // The epoch of the member owning the partition, or -1 (Kafka's currentPartitionEpoch).
  int32_t current_partition_epoch(const uuid& topic, int32_t partition) const;
  // Replaces a member's current assignment, keeping Invariant 1 (Kafka's
  // ConsumerGroup.updateMember / removePartitionEpochs / addPartitionEpochs).
  void set_member_assignment(consumer_member& m, const consumer_member& next);
  // Adds or replaces a member (its partition epochs included).
  void put_member(consumer_member m);
  // Removes a member and everything held for it (partition epochs, target).
  void remove_member(const std::string& member_id);
  const consumer_member* static_member(const std::string& instance_id) const;
  // Topic names subscribed by the members (with `replaced` swapped for
  // `updated`, as Kafka's computeSubscribedTopicNames), with their counts.
  std::map<std::string, int32_t> subscribed_topic_names(const consumer_member* replaced,
                                                        const consumer_member* updated) const;
  // The regular expressions the members subscribe to, with how many members
  // each (`replaced` swapped for `updated`, as above).
  std::map<std::string, int32_t> subscribed_regexes(const consumer_member* replaced = nullptr,
                                                    const consumer_member* updated = nullptr) const;
  int32_t num_subscribed_members(const std::string& regex) const;
  // ConsumerGroup.lastResolvedRegularExpressionRefreshTimeMs / Version: the
  // latest of the resolved expressions (0 and -1 without any).
  int64_t last_regex_refresh_ms() const;
  int64_t last_regex_version() const;
  // The topic names a member subscribes to: its names and the topics its
  // regular expression resolved to.
  std::set<std::string> member_topics(const consumer_member& m) const;
  // ConsumerGroup.allMembersUseClassicProtocolExcept.
  bool all_members_use_classic_protocol_except(const std::string& member_id) const;
  // ConsumerGroup.supportsClassicProtocols: the protocol type is "consumer"
  // and some protocol name is supported by every classic member (any, when
  // there is none).
  bool supports_classic_protocols(const std::string& protocol_type, const std::set<std::string>& names) const;
  // ConsumerGroup.isSubscribedToTopic.
  bool is_subscribed_to_topic(const std::string& topic) const;

  // ConsumerGroup.validateOffsetCommit / validateOffsetFetch (not transactional).
  protocol::error_code validate_offset_commit(const std::string& member_id, int32_t member_epoch,
                                              int16_t api_version) const;
  protocol::error_code validate_offset_fetch(const std::optional<std::string>& member_id,
                                             int32_t member_epoch) const;
};

}  // namespace samsa::broker::groups
