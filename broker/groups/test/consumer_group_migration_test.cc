// Online migration between the classic and consumer protocols on a fake log
// and a manual clock: a consumer member upgrades a classic group with
// members; the classic member lives on in the consumer group through
// JoinGroup, SyncGroup and Heartbeat (REBALANCE_IN_PROGRESS to reconcile);
// when the last consumer member leaves, the group is classic again; the
// policy forbids either direction; the embedded consumer protocol codec and
// the ClassicMemberMetadata tagged field.
#include <gtest/gtest.h>

#include "broker/groups/consumer_group_records.h"
#include "broker/groups/consumer_protocol.h"
#include "broker/groups/test/consumer_group_fixture.h"

namespace samsa::broker::groups::testing {
namespace {

void put16(std::vector<uint8_t>& b, int16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
void put32(std::vector<uint8_t>& b, int32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(v >> s));
}
void put_string(std::vector<uint8_t>& b, const std::string& s) {
  put16(b, static_cast<int16_t>(s.size()));
  b.insert(b.end(), s.begin(), s.end());
}

// A ConsumerProtocolSubscription v1 as the Java client's classic protocol sends it.
std::vector<uint8_t> subscription(const std::vector<std::string>& topics, const named_partitions& owned = {}) {
  std::vector<uint8_t> b;
  put16(b, 1);
  put32(b, static_cast<int32_t>(topics.size()));
  for (const auto& t : topics) put_string(b, t);
  put32(b, -1);  // user data: null
  put32(b, static_cast<int32_t>(owned.size()));
  for (const auto& [t, ps] : owned) {
    put_string(b, t);
    put32(b, static_cast<int32_t>(ps.size()));
    for (int32_t p : ps) put32(b, p);
  }
  return b;
}

class migration_test : public consumer_group_coordinator_test {
 protected:
  static hb_request consumer_join(const std::string& member) {
    hb_request r;
    r.group_id = "g";
    r.member_id = member;
    r.member_epoch = 0;
    r.rebalance_timeout_ms = 30000;
    r.subscribed_topic_names = std::vector<std::string>{"t"};
    r.topic_partitions.emplace();
    return r;
  }

  static hb_request consumer_beat(const std::string& member, int32_t epoch, const std::set<int32_t>& owned) {
    hb_request r;
    r.group_id = "g";
    r.member_id = member;
    r.member_epoch = epoch;
    r.topic_partitions.emplace();
    if (!owned.empty()) r.topic_partitions->push_back({topic_id(1), {owned.begin(), owned.end()}, {}});
    return r;
  }

  static std::set<int32_t> partitions_of(const hb_response& r) {
    std::set<int32_t> out;
    if (r.assignment)
      for (const auto& tp : r.assignment->topic_partitions) out.insert(tp.partitions.begin(), tp.partitions.end());
    return out;
  }

  static std::set<int32_t> sync_partitions(const protocol::sync_group_response& r) {
    auto a = parse_consumer_assignment(r.assignment);
    EXPECT_TRUE(a);
    return a && a->contains("t") ? a->at("t") : std::set<int32_t>{};
  }

  // A classic member, leader of a Stable classic group owning all six partitions of "t".
  std::string stable_classic_group() {
    auto [id, joined] = join_new_with(subscription({"t"}));
    advance(3001);  // the initial rebalance delay
    EXPECT_TRUE(joined.ready());
    EXPECT_EQ(err(joined->error_code), error_code::none);
    auto s = sync("g", id, joined->generation_id,
                  {{id, serialize_consumer_assignment({{"t", {0, 1, 2, 3, 4, 5}}}, 1)}});
    EXPECT_TRUE(s.ready());
    EXPECT_EQ(err(s->error_code), error_code::none);
    EXPECT_EQ(c().state_of("g"), group_state::stable);
    return id;
  }

  std::pair<std::string, answer<protocol::join_group_response>> join_new_with(std::vector<uint8_t> metadata) {
    auto first = join("g", "", 9, "range", metadata);
    EXPECT_TRUE(first.ready());
    EXPECT_EQ(err(first->error_code), error_code::member_id_required);
    std::string id = first->member_id;
    return {id, join("g", id, 9, "range", metadata)};
  }

};

TEST_F(migration_test, AConsumerMemberUpgradesAClassicGroupAndEveryPartitionEndsOwnedOnce) {
  const std::string classic = stable_classic_group();
  // The consumer member joins: the group converts, keeping the classic member's assignment.
  auto m = hb(consumer_join("m1"));
  ASSERT_EQ(err(m.error_code), error_code::none) << m.error_message.value_or("");
  auto g = c().consumer_group_of("g");
  ASSERT_TRUE(g);
  ASSERT_EQ(g->members.size(), 2u);
  ASSERT_TRUE(g->members.at(classic).uses_classic_protocol());
  EXPECT_EQ(g->members.at(classic).member_epoch, 1);
  EXPECT_TRUE(partitions_of(m).empty());  // everything is still the classic member's
  EXPECT_EQ(c().state_of("g"), group_state::empty);  // the classic fields are an empty group's

  // The classic member is told to rejoin, rejoins owning its six, and keeps the ones it is not to revoke.
  EXPECT_EQ(heartbeat("g", classic, 1), error_code::rebalance_in_progress);
  auto j = join("g", classic, 9, "range", subscription({"t"}, {{"t", {0, 1, 2, 3, 4, 5}}}));
  ASSERT_TRUE(j.ready());
  ASSERT_EQ(err(j->error_code), error_code::none);
  EXPECT_EQ(j->protocol_name, "range");
  auto s = sync("g", classic, j->generation_id);
  ASSERT_TRUE(s.ready());
  ASSERT_EQ(err(s->error_code), error_code::none);
  const std::set<int32_t> kept = sync_partitions(*s);
  EXPECT_EQ(kept.size(), 3u);
  // Still revoking: rejoin again with what it kept, then it is at the group's epoch.
  EXPECT_EQ(heartbeat("g", classic, j->generation_id), error_code::rebalance_in_progress);
  j = join("g", classic, 9, "range", subscription({"t"}, {{"t", kept}}));
  ASSERT_TRUE(j.ready());
  ASSERT_EQ(err(j->error_code), error_code::none);
  EXPECT_EQ(j->generation_id, c().consumer_group_of("g")->group_epoch);
  s = sync("g", classic, j->generation_id);
  ASSERT_TRUE(s.ready());
  EXPECT_EQ(sync_partitions(*s), kept);
  EXPECT_EQ(heartbeat("g", classic, j->generation_id), error_code::none);
  // The consumer member gets the other three.
  m = hb(consumer_beat("m1", m.member_epoch, {}));
  std::set<int32_t> all = partitions_of(m);
  EXPECT_EQ(all.size(), 3u);
  for (int32_t p : kept) EXPECT_TRUE(all.insert(p).second) << "partition " << p << " owned twice";
  EXPECT_EQ(all, (std::set<int32_t>{0, 1, 2, 3, 4, 5}));
}

TEST_F(migration_test, AClassicMemberOfAConsumerGroupCommitsWithItsGenerationAtAnyVersion) {
  const std::string classic = stable_classic_group();
  ASSERT_EQ(err(hb(consumer_join("m1")).error_code), error_code::none);
  // Its epoch is the classic generation (1); OffsetCommit v7, as librdkafka's classic consumer.
  EXPECT_EQ(err(commit("g", classic, 1, "t", 0, 5, 7)->topics[0].partitions[0].error_code), error_code::none);
  EXPECT_EQ(committed("g", "t", 0), 5);
  EXPECT_EQ(err(commit("g", classic, 7, "t", 0, 6, 7)->topics[0].partitions[0].error_code),
            error_code::illegal_generation);
  // A consumer-protocol member still needs v9.
  EXPECT_EQ(err(commit("g", "m1", 2, "t", 0, 6, 8)->topics[0].partitions[0].error_code),
            error_code::unsupported_version);
}

TEST_F(migration_test, TheLastConsumerMemberLeavingDowngradesTheGroupToClassic) {
  const std::string classic = stable_classic_group();
  auto m = hb(consumer_join("m1"));
  ASSERT_EQ(err(m.error_code), error_code::none);
  hb_request leave = consumer_beat("m1", -1, {});
  leave.topic_partitions.reset();
  EXPECT_EQ(err(hb(leave).error_code), error_code::none);
  EXPECT_FALSE(c().consumer_group_of("g"));
  EXPECT_EQ(c().state_of("g"), group_state::preparing_rebalance);
  // The classic member rejoins the classic group; it alone owns the six again.
  auto j = join("g", classic, 9, "range", subscription({"t"}));
  advance(1);
  ASSERT_TRUE(j.ready());
  ASSERT_EQ(err(j->error_code), error_code::none);
  EXPECT_EQ(j->leader, classic);
  auto s = sync("g", classic, j->generation_id, {{classic, serialize_consumer_assignment({{"t", {0, 1, 2, 3, 4, 5}}}, 1)}});
  ASSERT_TRUE(s.ready());
  EXPECT_EQ(err(s->error_code), error_code::none);
  EXPECT_EQ(c().state_of("g"), group_state::stable);
}

TEST_F(migration_test, AConsumerMemberWhoseSessionExpiresAlsoDowngradesTheGroup) {
  const std::string classic = stable_classic_group();
  ASSERT_EQ(err(hb(consumer_join("m1")).error_code), error_code::none);
  // The classic member follows the protocol (rejoins when told, syncs) and
  // keeps its session (10 s) alive; m1 never heartbeats again (45 s).
  int32_t generation = 1;
  std::set<int32_t> owned = {0, 1, 2, 3, 4, 5};
  for (int i = 0; i < 10; ++i) {
    advance(5000);
    if (!c().consumer_group_of("g")) break;  // downgraded
    if (heartbeat("g", classic, generation) != error_code::rebalance_in_progress) continue;
    auto j = join("g", classic, 9, "range", subscription({"t"}, {{"t", owned}}));
    ASSERT_TRUE(j.ready());
    ASSERT_EQ(err(j->error_code), error_code::none);
    generation = j->generation_id;
    auto s = sync("g", classic, generation);
    ASSERT_TRUE(s.ready());
    owned = sync_partitions(*s);
  }
  EXPECT_FALSE(c().consumer_group_of("g"));
  EXPECT_EQ(c().state_of("g"), group_state::preparing_rebalance);
  EXPECT_EQ(c().generation_of("g"), 2);  // the consumer group's epoch
  EXPECT_EQ(owned.size(), 3u);  // it had given up m1's share, which m1 never took
}

TEST_F(migration_test, AClassicMemberThatDoesNotRejoinWithinItsRebalanceTimeoutIsFenced) {
  const std::string classic = stable_classic_group();
  auto m = hb(consumer_join("m1"));
  ASSERT_EQ(err(m.error_code), error_code::none);
  // It keeps heartbeating (its session lives) but never rejoins: after its
  // rebalance timeout (30 s) it is fenced; the consumer member stays.
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(heartbeat("g", classic, 1), error_code::rebalance_in_progress);
    m = hb(consumer_beat("m1", m.member_epoch, partitions_of(m)));
    advance(5000);
  }
  auto g = c().consumer_group_of("g");
  ASSERT_TRUE(g);
  EXPECT_FALSE(g->members.contains(classic));
  EXPECT_EQ(heartbeat("g", classic, 1), error_code::unknown_member_id);
}

TEST_F(migration_test, AClassicMemberThatJoinsButDoesNotSyncIsFencedAfterItsRebalanceTimeout) {
  const std::string classic = stable_classic_group();
  auto m = hb(consumer_join("m1"));
  auto j = join("g", classic, 9, "range", subscription({"t"}, {{"t", {0, 1, 2, 3, 4, 5}}}));
  ASSERT_TRUE(j.ready());
  ASSERT_EQ(err(j->error_code), error_code::none);
  for (int i = 0; i < 7; ++i) {
    heartbeat("g", classic, j->generation_id);
    m = hb(consumer_beat("m1", m.member_epoch, partitions_of(m)));
    advance(5000);
  }
  EXPECT_FALSE(c().consumer_group_of("g")->members.contains(classic));
}

TEST_F(migration_test, WithDowngradesDisabledTheGroupStaysAConsumerGroupOfClassicMembers) {
  config_.consumer_migration_policy = migration_policy::upgrade;
  make();
  serve_topics();
  const std::string classic = stable_classic_group();
  ASSERT_EQ(err(hb(consumer_join("m1")).error_code), error_code::none);
  hb_request leave = consumer_beat("m1", -1, {});
  leave.topic_partitions.reset();
  EXPECT_EQ(err(hb(leave).error_code), error_code::none);
  auto g = c().consumer_group_of("g");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->members.size(), 1u);
  EXPECT_TRUE(g->members.contains(classic));
}

TEST_F(migration_test, WithUpgradesDisabledAConsumerHeartbeatToAClassicGroupIsGroupIdNotFound) {
  config_.consumer_migration_policy = migration_policy::disabled;
  make();
  serve_topics();
  stable_classic_group();
  auto r = hb(consumer_join("m1"));
  EXPECT_EQ(err(r.error_code), error_code::group_id_not_found);
  EXPECT_EQ(r.error_message, "Group g is not a consumer group");
}

TEST_F(migration_test, AClassicMemberLeavesAConsumerGroupWithLeaveGroup) {
  const std::string classic = stable_classic_group();
  ASSERT_EQ(err(hb(consumer_join("m1")).error_code), error_code::none);
  protocol::leave_group_request::MemberIdentity who;
  who.member_id = classic;
  auto r = c().leave_group({who}, "g");
  ASSERT_EQ(r.members.size(), 1u);
  EXPECT_EQ(r.members[0].error_code, 0);
  auto g = c().consumer_group_of("g");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->members.size(), 1u);
  // Its Heartbeat, SyncGroup are UNKNOWN_MEMBER_ID now; a consumer member's id is not a classic member.
  EXPECT_EQ(heartbeat("g", classic, 1), error_code::unknown_member_id);
  EXPECT_EQ(heartbeat("g", "m1", 1), error_code::unknown_member_id);
}

TEST_F(migration_test, TheConvertedGroupComesBackFromItsRecordsWithItsClassicMember) {
  const std::string classic = stable_classic_group();
  ASSERT_EQ(err(hb(consumer_join("m1")).error_code), error_code::none);
  const consumer_group before = *c().consumer_group_of("g");
  fake_group_log log2;
  group_coordinator reloaded(config_, log2, [this] { return now_; }, 7);
  for (const auto& b : log_.batches)
    for (const auto& rec : b.records) {
      std::optional<std::span<const uint8_t>> value;
      if (rec.value) value = std::span<const uint8_t>(*rec.value);
      if (auto k = decode_key(rec.key)) reloaded.replay(*k, value);
      else if (auto ck = decode_consumer_key(rec.key)) reloaded.replay(*ck, value);
    }
  reloaded.loaded();
  EXPECT_FALSE(reloaded.state_of("g") && reloaded.generation_of("g") > 0);  // no classic group left
  auto after = reloaded.consumer_group_of("g");
  ASSERT_TRUE(after);
  ASSERT_TRUE(after->members.contains(classic));
  EXPECT_EQ(after->members.at(classic).classic, before.members.at(classic).classic);
  EXPECT_TRUE(after->members.at(classic).same_assignment(before.members.at(classic)));
}

TEST(consumer_protocol, SubscriptionsAndAssignmentsRoundTrip) {
  auto s = parse_consumer_subscription(subscription({"a", "b"}, {{"a", {1, 2}}}));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->version, 1);
  EXPECT_EQ(s->topics, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s->owned_partitions, (named_partitions{{"a", {1, 2}}}));
  EXPECT_FALSE(parse_consumer_subscription(std::vector<uint8_t>{0, 0}));
  const auto bytes = serialize_consumer_assignment({{"a", {0, 3}}}, 3);
  EXPECT_EQ(consumer_protocol_version(bytes), 3);
  EXPECT_EQ(parse_consumer_assignment(bytes), (named_partitions{{"a", {0, 3}}}));
  // Version 3, one topic "a" with partitions 0 and 3, null user data.
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0, 3, 0, 0, 0, 1, 0, 1, 'a', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff,
                                         0xff, 0xff}));
}

TEST(consumer_group_records, ClassicMemberMetadataIsTaggedFieldZero) {
  consumer_member m;
  m.client_id = "c";
  m.client_host = "h";
  m.classic = classic_member_metadata{45000, {{"range", {1, 2}}}};
  const auto bytes = encode_member_metadata_value(m);
  // ... ServerAssignor null (0), then one tagged field: tag 0, size (the struct + 1), 1 (present, a uvarint),
  // SessionTimeoutMs, SupportedProtocols [("range", [1, 2])], the struct's empty tags.
  const std::vector<uint8_t> tail = {0, 1, 0, 17, 1, 0, 0, 0xaf, 0xc8, 2, 6, 'r', 'a', 'n', 'g', 'e', 3, 1, 2, 0, 0};
  ASSERT_GE(bytes.size(), tail.size());
  EXPECT_EQ(std::vector<uint8_t>(bytes.end() - static_cast<long>(tail.size()), bytes.end()), tail);
  consumer_member back;
  ASSERT_TRUE(decode_member_metadata_value(bytes, back));
  EXPECT_EQ(back.classic, m.classic);
}

}  // namespace
}  // namespace samsa::broker::groups::testing
