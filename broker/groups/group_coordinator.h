#pragma once

// The classic group coordinator (Kafka's GroupMetadataManager and
// OffsetMetadataManager for CLASSIC groups): JoinGroup, SyncGroup,
// Heartbeat, LeaveGroup, the session, join and sync timers, committed
// offsets, and the group admin operations. No sockets and no clock of its
// own: requests come in as decoded protocol structs, answers leave through
// callbacks, time comes from now_ms() and tick(now), records go to a
// group_log. The handlers in broker/handlers/ check what KafkaApis checks
// (coordinator ownership, topics) and call it.
//
// Thread-safety: every public method may be called from any thread. One mutex
// guards all groups; it is held for in-memory work and the page-cache append
// of a record batch (so records reach the log in the order the state
// changed), never while a callback runs (callbacks are collected and
// run after the mutex is released), and never across an fsync (durability
// callbacks come back from the log directory's flush thread and take the
// mutex again).
//
// Invariants:
//   1. Every waiting JoinGroup / SyncGroup callback is called exactly once:
//      by the rebalance, a leave, an expiry, a deletion, or shutdown().
//   2. A committed offset is visible to OffsetFetch only after its record is
//      durable in __consumer_offsets.
//   3. Groups with members never have an empty id (JoinGroup refuses it);
//      offsets may be committed under the empty group id, as Kafka allows.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "broker/groups/classic_group.h"
#include "broker/groups/consumer_group_records.h"
#include "broker/groups/consumer_protocol.h"
#include "broker/groups/consumer_offsets_records.h"
#include "broker/groups/group_log.h"
#include "protocol/generated/consumer_group_describe.h"
#include "protocol/generated/consumer_group_heartbeat.h"
#include "protocol/generated/delete_groups.h"
#include "protocol/generated/describe_groups.h"
#include "protocol/generated/heartbeat.h"
#include "protocol/generated/leave_group.h"
#include "protocol/generated/list_groups.h"
#include "protocol/generated/offset_commit.h"
#include "protocol/generated/offset_delete.h"
#include "protocol/generated/offset_fetch.h"
#include "protocol/generated/txn_offset_commit.h"

namespace samsa::broker::groups {

// group.consumer.migration.policy: which online conversions of non-empty
// groups between the classic and consumer protocols are allowed.
enum class migration_policy { disabled, upgrade, downgrade, bidirectional };
bool migration_upgrade_enabled(migration_policy p);
bool migration_downgrade_enabled(migration_policy p);
std::optional<migration_policy> parse_migration_policy(std::string_view s);  // case-insensitive

// Kafka's GroupCoordinatorConfig, the part classic groups use.
struct coordinator_config {
  int32_t min_session_timeout_ms = 6000;
  int32_t max_session_timeout_ms = 1800000;
  int32_t initial_rebalance_delay_ms = 3000;
  int32_t max_size = INT32_MAX;
  int32_t new_member_join_timeout_ms = 5 * 60 * 1000;  // classicGroupNewMemberJoinTimeoutMs
  int32_t offset_metadata_max_bytes = 4096;
  int32_t offsets_topic_partitions = 50;
  int64_t offsets_retention_ms = 7LL * 24 * 60 * 60 * 1000;  // offsets.retention.minutes
  int64_t offsets_retention_check_interval_ms = 600000;      // offsets.retention.check.interval.ms
  // ---- consumer groups (KIP-848), group.consumer.* ----
  int32_t consumer_session_timeout_ms = 45000;
  int32_t consumer_heartbeat_interval_ms = 5000;
  int32_t consumer_max_size = INT32_MAX;
  // Short names ("uniform", "range") of group.consumer.assignors; the first is the default.
  std::vector<std::string> consumer_assignors = {"uniform", "range"};
  // GroupMetadataManager.REGEX_BATCH_REFRESH_INTERVAL_MS: the least time
  // between two resolutions of a group's regular expressions.
  int64_t regex_refresh_interval_ms = 10000;
  migration_policy consumer_migration_policy = migration_policy::bidirectional;
};

// What the coordinator knows of a topic (from the broker's metadata image).
struct topic_info {
  uuid id;
  int32_t num_partitions = 0;
};
using topic_lookup_fn = std::function<std::optional<topic_info>(const std::string& name)>;

// Every topic name of the metadata image, with the image's version (the
// offset of its last metadata record), for regular expression subscriptions.
struct topic_names_snapshot {
  int64_t version = -1;
  std::vector<std::string> names;
};
using topic_names_fn = std::function<topic_names_snapshot()>;

// Who sent a ConsumerGroupHeartbeat.
struct heartbeat_origin {
  int16_t api_version = 0;
  std::string client_id;
  std::string client_host;
};

// Who sent a JoinGroup.
struct join_origin {
  int16_t api_version = 0;
  std::string client_id;
  std::string client_host;  // "/1.2.3.4", as Kafka's InetAddress.toString
};

// One partition's answer of an OffsetFetch, before it is shaped per version.
struct fetched_offset {
  int32_t partition = 0;
  int64_t offset = -1;
  int32_t leader_epoch = -1;
  std::string metadata;  // "" when nothing is committed (OffsetFetchResponse.NO_METADATA)
  protocol::error_code error = protocol::error_code::none;
};
struct fetched_topic {
  std::string name;
  std::vector<fetched_offset> partitions;
};
struct fetched_group {
  protocol::error_code error = protocol::error_code::none;
  std::vector<fetched_topic> topics;
};

class group_coordinator {
 public:
  using clock_fn = std::function<int64_t()>;
  // `now_ms` drives timers (monotonic); `wall_ms` stamps records (commit and
  // state timestamps, epoch ms; null: now_ms, for tests with one clock).
  group_coordinator(coordinator_config config, group_log& log, clock_fn now_ms, uint64_t seed = std::random_device{}(),
                    clock_fn wall_ms = nullptr);
  ~group_coordinator();

  const coordinator_config& config() const { return config_; }
  int32_t partition_for(const std::string& group_id) const;

  // ---- the classic protocol -------------------------------------------------
  // Preconditions (the handler's): group id not empty, session timeout within
  // bounds, rebalance timeout set (v0: the session timeout).
  void join_group(const join_origin& origin, protocol::join_group_request request, join_callback done);
  void sync_group(protocol::sync_group_request request, sync_callback done);
  protocol::error_code heartbeat(const protocol::heartbeat_request& request);
  // One response per member identity (v0-2 send one, built from member_id);
  // the top-level error is set only when the whole group failed.
  protocol::leave_group_response leave_group(const std::vector<protocol::leave_group_request::MemberIdentity>& members,
                                             const std::string& group_id);

  // ---- the consumer protocol (KIP-848) -----------------------------------------
  // Where topic names are resolved (the broker's metadata image); without
  // one every topic is unknown.
  void set_topic_lookup(topic_lookup_fn lookup);
  // Where regular expressions are resolved (SubscribedTopicRegex); without
  // one they resolve to no topic.
  void set_topic_names(topic_names_fn names);
  // ConsumerGroupHeartbeat: answers once the records it wrote are durable
  // (at once when it wrote none). The handler has checked coordinator
  // ownership; everything else is checked here, as Kafka's
  // GroupCoordinatorService and GroupMetadataManager do.
  void consumer_group_heartbeat(const heartbeat_origin& origin, protocol::consumer_group_heartbeat_request request,
                                std::function<void(protocol::consumer_group_heartbeat_response)> done);
  protocol::consumer_group_describe_response::DescribedGroup consumer_group_describe(const std::string& group_id);
  // OffsetFetch v9+ of a consumer group: ConsumerGroup.validateOffsetFetch
  // (none for classic groups and unknown groups).
  protocol::error_code validate_offset_fetch(const std::string& group_id, const std::optional<std::string>& member_id,
                                             int32_t member_epoch);

  // ---- offsets ----------------------------------------------------------------
  // Answers the partitions given, in order, once their records are durable
  // (the handler has already answered unknown topics, as KafkaApis does).
  void commit_offsets(int16_t api_version, protocol::offset_commit_request request,
                      std::function<void(protocol::offset_commit_response)> done);
  // `topics` null: every committed offset of the group. `require_stable`:
  // a partition with a pending transactional offset answers
  // UNSTABLE_OFFSET_COMMIT and offset -1 (OffsetFetch v7+).
  fetched_group fetch_offsets(const std::string& group_id,
                              const std::optional<std::vector<std::pair<std::string, std::vector<int32_t>>>>& topics,
                              bool require_stable = false);

  // ---- transactional offsets ------------------------------------------------------
  // TxnOffsetCommit: the offsets are written as a transactional batch of the
  // producer and stay pending (invisible to OffsetFetch) until the
  // transaction's marker on the group's partition is durable. The handler
  // has answered unknown topics and checked the coordinator.
  void txn_commit_offsets(int16_t api_version, protocol::txn_offset_commit_request request,
                          std::function<void(protocol::txn_offset_commit_response)> done);
  // A COMMIT (true) or ABORT marker of `producer_id` is durable in partition
  // `partition` of __consumer_offsets (written, or replayed at startup):
  // its pending offsets of the groups on that partition become committed or
  // are dropped.
  void complete_transaction(int64_t producer_id, bool commit, int32_t partition);
  // Loading: one record of a transactional batch of `producer_id`.
  void replay_transactional(int64_t producer_id, int32_t partition, const record_key& key,
                            std::optional<std::span<const uint8_t>> value);
  void delete_offsets(protocol::offset_delete_request request,
                      std::function<void(protocol::offset_delete_response)> done);

  // ---- admin ------------------------------------------------------------------
  // Filters hold lower-case names; empty means no filter (ListGroups v4+/v5+).
  std::vector<protocol::list_groups_response::ListedGroup> list_groups(const std::set<std::string>& states_lower,
                                                                       const std::set<std::string>& types_lower);
  protocol::describe_groups_response::DescribedGroup describe_group(const std::string& group_id);
  void delete_groups(std::vector<std::string> group_ids,
                     std::function<void(std::vector<protocol::delete_groups_response::DeletableGroupResult>)> done);

  // ---- time and loading -------------------------------------------------------
  // Runs every timer whose deadline is <= now_ms, and every
  // offsets_retention_check_interval_ms the offset expiration.
  void tick(int64_t now_ms);
  // Applies one record of __consumer_offsets (loading at startup): the last
  // value of a key wins, a tombstone deletes.
  void replay(const record_key& key, std::optional<std::span<const uint8_t>> value);
  // The same for a consumer group record (consumer_group_records.h).
  void replay(const consumer_record_key& key, std::optional<std::span<const uint8_t>> value);
  // After loading: groups with members become Stable with fresh session
  // timers (Kafka's onLoaded).
  void loaded();
  // Answers every waiting request (NOT_COORDINATOR) and stops.
  void shutdown();

  // ---- introspection (tests) ---------------------------------------------------
  std::optional<group_state> state_of(const std::string& group_id);
  // A copy of a consumer group, or nullopt when the id is not a consumer group.
  std::optional<consumer_group> consumer_group_of(const std::string& group_id);
  int32_t generation_of(const std::string& group_id);

 private:
  struct outbox;
  classic_group* find(const std::string& id);
  classic_group& get_or_create(const std::string& id);

  void join_new_member(outbox& out, classic_group& g, const join_origin& origin,
                       protocol::join_group_request& r, join_callback& done);
  void join_existing_member(outbox& out, classic_group& g, const join_origin& origin, protocol::join_group_request& r,
                            join_callback& done);
  void add_member_and_rebalance(outbox& out, classic_group& g, const join_origin& origin,
                                protocol::join_group_request& r, const std::string& member_id, join_callback& done);
  void update_member_and_rebalance(outbox& out, classic_group& g, classic_member& m, protocol::join_group_request& r,
                                   join_callback& done);
  void maybe_prepare_rebalance_or_complete_join(outbox& out, classic_group& g);
  void prepare_rebalance(outbox& out, classic_group& g);
  void maybe_complete_join_phase(outbox& out, classic_group& g);
  void complete_join(outbox& out, classic_group& g);
  void reset_and_propagate_assignment_with_error(outbox& out, classic_group& g, protocol::error_code e);
  void propagate_assignment(outbox& out, classic_group& g, protocol::error_code e);
  void remove_member_and_update(outbox& out, classic_group& g, const std::string& member_id);
  void reschedule_heartbeat(classic_member& m, int64_t timeout_ms);
  void expire_timers(outbox& out, classic_group& g, int64_t now);
  // OffsetMetadataManager.cleanupExpiredOffsets for every group, and the
  // deletion of Empty groups left without offsets.
  void expire_offsets(outbox& out);
  // Runs with the mutex held and an outbox, once the write is durable or
  // failed; `group` is null when the group is gone by then.
  using after_write = std::function<void(outbox& out, classic_group* group, protocol::error_code e)>;
  // Writes the group's GroupMetadata record (with `assignment` instead of the
  // members' current assignments when given), then runs `after`.
  void write_group_metadata(outbox& out, classic_group& g, const std::map<std::string, std::vector<uint8_t>>* assignment,
                            after_write after);
  // Appends records to the group's partition; `after` as above. `txn`: a
  // transactional batch of that producer id and epoch.
  void write(outbox& out, const std::string& group_id, std::vector<coordinator_record> records, after_write after,
             std::optional<std::pair<int64_t, int16_t>> txn = std::nullopt);
  // Writes a TxnOffsetCommit's offsets (validated) and keeps them pending
  // once durable; answers `done`.
  void commit_pending_txn_offsets(outbox& out, const protocol::txn_offset_commit_request& request,
                                  std::shared_ptr<protocol::txn_offset_commit_response> response,
                                  std::function<void(protocol::txn_offset_commit_response)> done);
  group_metadata_value metadata_value(const classic_group& g,
                                      const std::map<std::string, std::vector<uint8_t>>* assignment) const;
  std::string new_member_id(const std::string& prefix);

  // ---- consumer groups (consumer_group_heartbeat.cc, consumer_group_admin.cc) ----
  struct heartbeat_result;
  heartbeat_result consumer_heartbeat_locked(outbox& out, const heartbeat_origin& origin,
                                             const protocol::consumer_group_heartbeat_request& r);
  heartbeat_result consumer_leave_locked(outbox& out, const protocol::consumer_group_heartbeat_request& r);
  // ---- online migration (consumer_group_migration.cc) ----
  std::string random_member_uuid();  // Kafka's Uuid.randomUuid().toString()
  topic_assignment to_topic_ids(const named_partitions& a) const;
  named_partitions to_topic_names(const consumer_group& g, const topic_assignment& a) const;
  // validateOnlineUpgrade.
  bool online_upgrade_allowed(const classic_group& g) const;
  // ConsumerGroup.fromClassicGroup; nullopt when a member's embedded
  // consumer protocol is malformed.
  std::optional<consumer_group> converted_classic_group(const classic_group& g) const;
  // convertToConsumerGroup: answers the waiting JoinGroup/SyncGroup requests
  // REBALANCE_IN_PROGRESS, empties the classic fields and appends the
  // classic tombstone and the consumer group's records.
  void convert_to_consumer_group(outbox& out, classic_group& holder, consumer_group converted,
                                 std::vector<coordinator_record>& records);
  // Before `leaving_id` is fenced: when every other member uses the classic
  // protocol (and the policy allows), the group becomes a classic group
  // (records appended) and rebalances; true then, and the member is gone.
  bool maybe_downgrade_on_leave(outbox& out, classic_group& holder, const std::string& leaving_id,
                                std::vector<coordinator_record>& records);
  void classic_join_to_consumer_group(outbox& out, classic_group& holder, const join_origin& origin,
                                      protocol::join_group_request& r, join_callback& done);
  const consumer_member* classic_member_of(const consumer_group& g, const std::string& member_id,
                                           const std::optional<std::string>& instance_id,
                                           protocol::error_code& e) const;
  void classic_sync_to_consumer_group(outbox& out, classic_group& holder, const protocol::sync_group_request& r,
                                      sync_callback& done);
  protocol::error_code classic_heartbeat_to_consumer_group(classic_group& holder, const protocol::heartbeat_request& r);
  void classic_leave_consumer_group(outbox& out, classic_group& holder,
                                    const std::vector<protocol::leave_group_request::MemberIdentity>& members,
                                    protocol::leave_group_response& response);
  // Removes a member and bumps the group epoch (Kafka's consumerGroupFenceMember);
  // appends the records to `records`.
  void fence_consumer_member(consumer_group& g, const std::string& member_id, std::vector<coordinator_record>& records);
  void update_target_assignment(consumer_group& g, std::vector<coordinator_record>& records);
  void reconcile_member(consumer_group& g, consumer_member& current, const std::optional<topic_assignment>& owned,
                        int64_t now, std::vector<coordinator_record>& records);
  void expire_consumer_timers(outbox& out, int64_t now);
  // JoinGroup on a consumer group: an empty one becomes a classic group
  // (tombstones for its records, as Kafka's downgrade of an empty group);
  // false for a group with members (classic members in consumer groups are
  // not supported: INCONSISTENT_GROUP_PROTOCOL).
  bool join_consumer_group_allowed(outbox& out, classic_group& g);
  // Tombstones for every consumer group record of an empty group.
  static void consumer_group_tombstones(const consumer_group& g, std::vector<coordinator_record>& records);
  topic_lookup_fn topic_lookup_;  // set before serving
  topic_names_fn topic_names_;    // set before serving
  // Kafka's maybeUpdateRegularExpressions (the resolution runs at once, under
  // the mutex, where Kafka runs it on an executor): tombstones the old
  // expression of the member when it was the last to use it, resolves the
  // group's expressions when one is new or the image gained topics (at most
  // every regex_refresh_interval_ms), and applies the result as Kafka's
  // handleRegularExpressionsResult. True when the group epoch must be bumped.
  bool maybe_update_regexes(consumer_group& g, const consumer_member* member, const consumer_member& updated,
                            std::vector<coordinator_record>& records);
  // Records the metadata image's topics; remembers the last image that
  // brought a topic not seen before (Kafka's lastMetadataImageWithNewTopics).
  topic_names_snapshot observe_topics();
  std::set<std::string> seen_topics_;        // guarded by mu_
  int64_t seen_topics_version_ = -1;         // guarded by mu_
  int64_t last_image_with_new_topics_ = -1;  // guarded by mu_
  protocol::join_group_response current_generation_response(const classic_group& g, const std::string& member_id,
                                                            bool with_members) const;

  const coordinator_config config_;
  group_log& log_;
  const clock_fn now_ms_;
  const clock_fn wall_ms_;
  std::mutex mu_;
  std::mt19937_64 random_;                                 // guarded by mu_
  std::map<std::string, std::unique_ptr<classic_group>> groups_;  // guarded by mu_
  bool stopped_ = false;                                   // guarded by mu_
  std::optional<int64_t> next_offsets_cleanup_ms_;         // guarded by mu_
  // Transactional offsets waiting for their marker: producer id -> group ->
  // partition -> offset (Kafka's pendingTransactionalOffsets). Guarded by mu_.
  std::map<int64_t, std::map<std::string, std::map<topic_partition_key, committed_offset>>> pending_txn_offsets_;
  // The next committed_offset::record_sequence. Guarded by mu_.
  int64_t next_record_sequence_ = 0;
};

}  // namespace samsa::broker::groups
