#pragma once

// One classic consumer group (Kafka's ClassicGroup and ClassicGroupMember):
// its state, members, protocols, generation, committed offsets and the
// deadlines of its timers. Plain data with the small rules Kafka keeps on the
// group itself (protocol support and selection, leader election, member
// validation). The state machine that moves it lives in group_coordinator.
//
// Thread-safety: none; the coordinator guards every group with its mutex.
//
// Invariants:
//   1. num_awaiting_join == number of members whose awaiting_join is set.
//   2. leader_id, when set, names a member.
//   3. static_members maps each group instance id to the member carrying it.
//   4. state == empty implies members is empty (pending members may exist).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/groups/consumer_group.h"
#include "protocol/error_code.h"
#include "protocol/generated/join_group.h"
#include "protocol/generated/sync_group.h"

namespace samsa::broker::groups {

enum class group_state { empty, preparing_rebalance, completing_rebalance, stable, dead };

// Kafka's names: "Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead".
std::string_view state_name(group_state s);
// Case-insensitive parse of a state name (ListGroups' states filter).
std::optional<group_state> parse_state(std::string_view name);

using join_callback = std::function<void(protocol::join_group_response)>;
using sync_callback = std::function<void(protocol::sync_group_response)>;

struct member_protocol {
  std::string name;
  std::vector<uint8_t> metadata;
  bool operator==(const member_protocol&) const = default;
};

struct classic_member {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string client_id;
  std::string client_host;
  int32_t rebalance_timeout_ms = 0;
  int32_t session_timeout_ms = 0;
  std::string protocol_type;
  std::vector<member_protocol> protocols;  // in the member's order of preference
  std::vector<uint8_t> assignment;
  // Set while the member's JoinGroup / SyncGroup waits for the rebalance.
  join_callback awaiting_join;
  sync_callback awaiting_sync;
  // Joined in the current rebalance and has not received a join response yet.
  bool is_new = false;
  // When the member's session (or new-member join) times out; none when no
  // expiration is scheduled (Kafka's heartbeat timer key).
  std::optional<int64_t> heartbeat_deadline_ms;

  bool is_awaiting_join() const { return static_cast<bool>(awaiting_join); }
  bool is_awaiting_sync() const { return static_cast<bool>(awaiting_sync); }
  bool is_static() const { return group_instance_id.has_value(); }
  // ClassicGroupMember.hasSatisfiedHeartbeat.
  bool has_satisfied_heartbeat() const { return !is_new && (is_awaiting_join() || is_awaiting_sync()); }
  const std::vector<uint8_t>* metadata_for(const std::string& protocol) const;
  bool matches(const std::vector<member_protocol>& other) const { return protocols == other; }
  // The member's most preferred protocol among `candidates`.
  std::string vote(const std::set<std::string>& candidates) const;
};

struct committed_offset {
  int64_t offset = 0;
  int32_t leader_epoch = -1;
  std::string metadata;
  int64_t commit_timestamp_ms = 0;
  std::optional<int64_t> expire_timestamp_ms;
  // Where its record stands in __consumer_offsets, in log order (Kafka's
  // recordOffset): a transactional offset materialized by its COMMIT marker
  // replaces a committed one only if written after it. A per-coordinator
  // sequence taken when the record is appended (appends of one group are in
  // order under the coordinator's mutex) or replayed; -1 unknown.
  int64_t record_sequence = -1;
};

using topic_partition_key = std::pair<std::string, int32_t>;

// The join-phase timer: Kafka's classicGroupJoinKey, either the initial
// rebalance delay (tryCompleteInitialRebalanceElseSchedule) or the rebalance
// timeout (completeClassicGroupJoin).
struct join_timer {
  int64_t deadline_ms = 0;
  bool initial = false;
  int32_t delay_ms = 0;      // initial only
  int32_t remaining_ms = 0;  // initial only
};

struct sync_timer {
  int64_t deadline_ms = 0;
  int32_t generation_id = 0;
};

class classic_group {
 public:
  explicit classic_group(std::string id, int64_t now_ms) : group_id(std::move(id)), state_timestamp_ms(now_ms) {}

  std::string group_id;
  group_state state = group_state::empty;
  group_state previous_state = group_state::empty;
  int64_t state_timestamp_ms = 0;
  int32_t generation_id = 0;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  std::optional<std::string> leader_id;  // Invariant 2
  std::map<std::string, classic_member> members;
  // Dynamic members given an id by MEMBER_ID_REQUIRED, not joined yet; with
  // the deadline of their session.
  std::map<std::string, int64_t> pending_join_members;
  std::set<std::string> pending_sync_members;
  std::map<std::string, std::string> static_members;  // Invariant 3
  int32_t num_awaiting_join = 0;                      // Invariant 1
  bool new_member_added = false;
  std::optional<join_timer> join_deadline;
  std::optional<sync_timer> sync_deadline;
  // Topics the members subscribe to (consumer protocol), when known.
  std::optional<std::set<std::string>> subscribed_topics;
  std::map<topic_partition_key, committed_offset> offsets;
  // Set when this is a consumer group (KIP-848): then the classic fields
  // above stay as for an Empty group without protocol (no members, generation
  // 0), and this holds the group; the committed offsets stay in `offsets`.
  std::unique_ptr<consumer_group> consumer;

  bool in(group_state s) const { return state == s; }
  void transition_to(group_state s, int64_t now_ms);
  // ClassicGroup.canRebalance: Stable, CompletingRebalance or Empty.
  bool can_rebalance() const;

  bool has_member(const std::string& id) const { return members.contains(id); }
  bool is_pending_member(const std::string& id) const { return pending_join_members.contains(id); }
  bool is_leader(const std::string& id) const { return leader_id && *leader_id == id; }
  // Adds a member (the first becomes leader); `join` is its waiting JoinGroup.
  void add(classic_member m, join_callback join);
  // Removes a member or pending member (ClassicGroup.remove): a new leader is
  // the first remaining member.
  void remove(const std::string& id);
  // Replaces the awaiting-join callback (nullptr clears it), keeping Invariant 1.
  void set_awaiting_join(classic_member& m, join_callback join);
  // Clears the member's awaiting JoinGroup and returns it (Invariant 1 kept).
  join_callback take_awaiting_join(classic_member& m);
  // ClassicGroup.validateMember: UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID / none.
  protocol::error_code validate_member(const std::string& member_id,
                                       const std::optional<std::string>& group_instance_id) const;
  bool has_all_members_joined() const {
    return static_cast<int32_t>(members.size()) == num_awaiting_join && pending_join_members.empty();
  }
  // ClassicGroup.supportsProtocols.
  bool supports_protocols(const std::string& type, const std::vector<member_protocol>& protocols) const;
  // ClassicGroup.selectProtocol. Precondition: members is not empty.
  std::string select_protocol() const;
  // The largest rebalance timeout of the members (ClassicGroup.rebalanceTimeoutMs).
  int32_t rebalance_timeout_ms() const;
  // ClassicGroup.maybeElectNewJoinedLeader.
  bool maybe_elect_new_joined_leader();
  std::vector<protocol::join_group_response::JoinGroupResponseMember> current_members() const;
  // Recomputes subscribed_topics from the members' consumer-protocol metadata.
  void compute_subscribed_topics();
  // ClassicGroup.isSubscribedToTopic.
  bool is_subscribed_to_topic(const std::string& topic) const;
  bool uses_consumer_protocol() const { return protocol_type && *protocol_type == "consumer"; }
};

}  // namespace samsa::broker::groups
