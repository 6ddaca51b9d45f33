// The KIP-848 heartbeat state machine on a fake log and a manual clock:
// joining, reconciliation (revoke before reassign), leaving, fencing,
// static members, errors, offsets and reloading from the records.
#include <gtest/gtest.h>

#include "broker/groups/consumer_group_records.h"
#include "broker/groups/test/consumer_group_fixture.h"

namespace samsa::broker::groups::testing {
namespace {

class consumer_group_test : public consumer_group_coordinator_test {
 protected:
  static hb_request join_request(const std::string& member, std::vector<std::string> topics = {"t"}) {
    hb_request r;
    r.group_id = "g";
    r.member_id = member;
    r.member_epoch = 0;
    r.rebalance_timeout_ms = 30000;
    r.subscribed_topic_names = std::move(topics);
    r.topic_partitions.emplace();
    return r;
  }

  // An incremental heartbeat reporting what the member owns.
  static hb_request beat(const std::string& member, int32_t epoch, const std::set<int32_t>& owned,
                         uuid t = topic_id(1)) {
    hb_request r;
    r.group_id = "g";
    r.member_id = member;
    r.member_epoch = epoch;
    r.topic_partitions.emplace();
    if (!owned.empty()) r.topic_partitions->push_back({t, {owned.begin(), owned.end()}, {}});
    return r;
  }

  static std::set<int32_t> partitions(const hb_response& r, uuid t = topic_id(1)) {
    std::set<int32_t> out;
    if (!r.assignment) return out;
    for (const auto& tp : r.assignment->topic_partitions)
      if (tp.topic_id == t) out.insert(tp.partitions.begin(), tp.partitions.end());
    return out;
  }

};

TEST_F(consumer_group_test, AFirstMemberGetsEveryPartitionAtGroupEpochOne) {
  auto r = hb(join_request("m1"));
  EXPECT_EQ(err(r.error_code), error_code::none);
  EXPECT_EQ(r.member_id, "m1");
  EXPECT_EQ(r.member_epoch, 1);
  EXPECT_EQ(r.heartbeat_interval_ms, 5000);
  EXPECT_EQ(partitions(r), (std::set<int32_t>{0, 1, 2, 3, 4, 5}));
  auto g = c().consumer_group_of("g");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->state(), consumer_group_state::stable);
}

TEST_F(consumer_group_test, ASecondMemberGetsPartitionsOnlyAfterTheFirstRevokedThem) {
  auto r1 = hb(join_request("m1"));
  auto r2 = hb(join_request("m2"));
  EXPECT_EQ(r2.member_epoch, 2);
  EXPECT_TRUE(partitions(r2).empty());  // all six are still owned by m1: unreleased
  EXPECT_EQ(c().consumer_group_of("g")->members.at("m2").state, member_state::unreleased_partitions);

  // m1 learns it must give up three, and stays at epoch 1 until it has.
  auto r1b = hb(beat("m1", 1, {0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(r1b.member_epoch, 1);
  const auto kept = partitions(r1b);
  EXPECT_EQ(kept.size(), 3u);
  EXPECT_EQ(c().consumer_group_of("g")->state(), consumer_group_state::reconciling);

  // m2 still waits while m1 has not confirmed.
  EXPECT_TRUE(partitions(hb(beat("m2", 2, {}))).empty());

  // m1 reports only what it kept: it moves to epoch 2; m2 then gets the rest.
  auto r1c = hb(beat("m1", 1, kept));
  EXPECT_EQ(r1c.member_epoch, 2);
  auto r2b = hb(beat("m2", 2, {}));
  std::set<int32_t> rest;
  for (int32_t p = 0; p < 6; ++p)
    if (!kept.contains(p)) rest.insert(p);
  EXPECT_EQ(partitions(r2b), rest);
  EXPECT_EQ(c().consumer_group_of("g")->state(), consumer_group_state::stable);
}

TEST_F(consumer_group_test, ALeavingMembersPartitionsGoToTheOtherAtItsNextHeartbeat) {
  hb(join_request("m1"));
  hb(join_request("m2"));
  auto kept = partitions(hb(beat("m1", 1, {0, 1, 2, 3, 4, 5})));
  hb(beat("m1", 1, kept));
  auto r2 = hb(beat("m2", 2, {}));
  ASSERT_EQ(partitions(r2).size(), 3u);

  auto leave = beat("m2", leave_group_member_epoch, {});
  auto l = hb(leave);
  EXPECT_EQ(err(l.error_code), error_code::none);
  EXPECT_EQ(l.member_epoch, -1);
  auto r1 = hb(beat("m1", 2, kept));
  EXPECT_EQ(r1.member_epoch, 3);
  EXPECT_EQ(partitions(r1), (std::set<int32_t>{0, 1, 2, 3, 4, 5}));
}

TEST_F(consumer_group_test, AnExpiredSessionFencesTheMember) {
  hb(join_request("m1"));
  advance(45001);
  EXPECT_TRUE(c().consumer_group_of("g")->members.empty());
  auto r = hb(beat("m1", 1, {}));
  EXPECT_EQ(err(r.error_code), error_code::unknown_member_id);
}

TEST_F(consumer_group_test, AMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsFenced) {
  auto j = join_request("m1");
  j.rebalance_timeout_ms = 1000;
  hb(j);
  hb(join_request("m2"));
  hb(beat("m1", 1, {0, 1, 2, 3, 4, 5}));  // now UNREVOKED_PARTITIONS
  hb(beat("m2", 2, {}));
  advance(1001);
  EXPECT_FALSE(c().consumer_group_of("g")->members.contains("m1"));
}

TEST_F(consumer_group_test, WrongEpochsAndUnknownMembersGetKafkasErrors) {
  hb(join_request("m1"));
  EXPECT_EQ(err(hb(beat("m1", 7, {})).error_code), error_code::fenced_member_epoch);
  EXPECT_EQ(err(hb(beat("nobody", 1, {})).error_code), error_code::unknown_member_id);
  auto other = beat("m1", 1, {});
  other.group_id = "unknown-group";
  EXPECT_EQ(err(hb(other).error_code), error_code::group_id_not_found);
  auto no_timeout = join_request("m3");
  no_timeout.rebalance_timeout_ms = -1;
  EXPECT_EQ(err(hb(no_timeout).error_code), error_code::invalid_request);
  auto owned_on_join = join_request("m3");
  owned_on_join.topic_partitions->push_back({topic_id(1), {0}, {}});
  EXPECT_EQ(err(hb(owned_on_join).error_code), error_code::invalid_request);
  auto empty_id_v1 = join_request("");
  EXPECT_EQ(err(hb(empty_id_v1, 1).error_code), error_code::invalid_request);
  auto assignor = join_request("m3");
  assignor.server_assignor = "sticky";
  EXPECT_EQ(err(hb(assignor).error_code), error_code::unsupported_assignor);
  auto regex = join_request("m3");
  regex.subscribed_topic_regex = "t.*(";
  EXPECT_EQ(err(hb(regex).error_code), error_code::invalid_regular_expression);
}

TEST_F(consumer_group_test, VersionZeroGivesAMemberIdToAMemberWithout) {
  auto r = hb(join_request(""), 0);
  EXPECT_EQ(err(r.error_code), error_code::none);
  ASSERT_TRUE(r.member_id);
  EXPECT_EQ(r.member_id->size(), 22u);  // Kafka's Uuid.toString
}

TEST_F(consumer_group_test, TheGroupRefusesMembersPastItsMaxSize) {
  config_.consumer_max_size = 1;
  make();
  serve_topics();
  hb(join_request("m1"));
  EXPECT_EQ(err(hb(join_request("m2")).error_code), error_code::group_max_size_reached);
}

TEST_F(consumer_group_test, AStaticMemberKeepsItsPartitionsAcrossATemporaryLeave) {
  auto j = join_request("s1");
  j.instance_id = "instance-a";
  auto r = hb(j);
  ASSERT_EQ(partitions(r).size(), 6u);
  auto leave = beat("s1", leave_group_static_member_epoch, {});
  leave.instance_id = "instance-a";
  EXPECT_EQ(hb(leave).member_epoch, -2);

  // While it is away its instance id is released, so it can come back under a new member id...
  auto back = join_request("s2");
  back.instance_id = "instance-a";
  auto rb = hb(back);
  EXPECT_EQ(err(rb.error_code), error_code::none);
  EXPECT_EQ(partitions(rb).size(), 6u);
  // ... but not twice while it is there.
  auto twice = join_request("s3");
  twice.instance_id = "instance-a";
  EXPECT_EQ(err(hb(twice).error_code), error_code::unreleased_instance_id);
}

TEST_F(consumer_group_test, OffsetsOfAConsumerGroupNeedTheCurrentMemberEpoch) {
  hb(join_request("m1"));
  EXPECT_EQ(err(commit("g", "m1", 1, "t", 0, 5)->topics[0].partitions[0].error_code), error_code::none);
  EXPECT_EQ(err(commit("g", "m1", 0, "t", 0, 6)->topics[0].partitions[0].error_code), error_code::stale_member_epoch);
  EXPECT_EQ(err(commit("g", "zz", 1, "t", 0, 6)->topics[0].partitions[0].error_code), error_code::unknown_member_id);
  EXPECT_EQ(err(commit("g", "m1", 1, "t", 0, 6, 8)->topics[0].partitions[0].error_code),
            error_code::unsupported_version);
  EXPECT_EQ(committed("g", "t", 0), 5);
  EXPECT_EQ(c().validate_offset_fetch("g", std::string("m1"), 1), error_code::none);
  EXPECT_EQ(c().validate_offset_fetch("g", std::string("m1"), 3), error_code::stale_member_epoch);
  EXPECT_EQ(c().validate_offset_fetch("g", std::string("zz"), 1), error_code::unknown_member_id);
  EXPECT_EQ(c().validate_offset_fetch("g", std::nullopt, -1), error_code::none);
}

TEST_F(consumer_group_test, ListDescribeAndDeleteSeeAConsumerGroup) {
  hb(join_request("m1"));
  auto listed = c().list_groups({}, {"consumer"});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].group_type, "consumer");
  EXPECT_EQ(listed[0].group_state, "Stable");
  EXPECT_TRUE(c().list_groups({}, {"classic"}).empty());
  auto d = c().consumer_group_describe("g");
  EXPECT_EQ(d.error_code, 0);
  EXPECT_EQ(d.group_epoch, 1);
  EXPECT_EQ(d.assignor_name, "uniform");
  ASSERT_EQ(d.members.size(), 1u);
  EXPECT_EQ(d.members[0].assignment.topic_partitions.at(0).topic_name, "t");
  EXPECT_EQ(c().describe_group("g").group_state, "Dead");  // not a classic group
  EXPECT_EQ(err(c().consumer_group_describe("nope").error_code), error_code::group_id_not_found);

  std::vector<protocol::delete_groups_response::DeletableGroupResult> res;
  c().delete_groups({"g"}, [&](auto r) { res = std::move(r); });
  EXPECT_EQ(err(res.at(0).error_code), error_code::non_empty_group);
  hb(beat("m1", leave_group_member_epoch, {}));
  c().delete_groups({"g"}, [&](auto r) { res = std::move(r); });
  EXPECT_EQ(err(res.at(0).error_code), error_code::none);
  EXPECT_FALSE(c().consumer_group_of("g"));
}

TEST_F(consumer_group_test, AJoinGroupToAConsumerGroupWithMembersAsksForAMemberIdThenAdmitsTheClassicMember) {
  hb(join_request("m1"));
  auto j = join("g", "");
  ASSERT_TRUE(j.ready());
  EXPECT_EQ(err(j->error_code), error_code::member_id_required);  // classicGroupJoinToConsumerGroup
  EXPECT_EQ(j->member_id.size(), 22u);
  // Its metadata {0, 0} is no ConsumerProtocolSubscription (Kafka: IllegalStateException).
  auto malformed = join("g", j->member_id, 9, "range", {0, 0});
  ASSERT_TRUE(malformed.ready());
  EXPECT_EQ(err(malformed->error_code), error_code::unknown_server_error);
}

TEST_F(consumer_group_test, AHeartbeatToAClassicGroupWithMembersIsGroupIdNotFoundWhenUpgradesAreDisabled) {
  config_.consumer_migration_policy = migration_policy::downgrade;
  make();
  serve_topics();
  auto [id, joined] = join_new("g");  // a classic member (its join waits for the initial delay)
  auto r = hb(join_request("m1"));
  EXPECT_EQ(err(r.error_code), error_code::group_id_not_found);
  EXPECT_EQ(r.error_message, "Group g is not a consumer group");
}

TEST_F(consumer_group_test, AnEmptyClassicGroupBecomesAConsumerGroupAndKeepsItsOffsets) {
  ASSERT_EQ(err(commit("g", "", -1, "t", 0, 42)->topics[0].partitions[0].error_code), error_code::none);
  auto r = hb(join_request("m1"));
  EXPECT_EQ(err(r.error_code), error_code::none);
  EXPECT_TRUE(c().consumer_group_of("g"));
  EXPECT_EQ(committed("g", "t", 0), 42);
}

TEST_F(consumer_group_test, AJoinGroupToAnEmptyConsumerGroupMakesItClassicAgain) {
  hb(join_request("m1"));
  hb(beat("m1", leave_group_member_epoch, {}));
  auto [id, joined] = join_new("g");
  EXPECT_FALSE(c().consumer_group_of("g"));
  advance(3001);  // the initial rebalance delay
  ASSERT_TRUE(joined.ready());
  EXPECT_EQ(err(joined->error_code), error_code::none);
}

TEST_F(consumer_group_test, TheGroupComesBackFromItsRecords) {
  hb(join_request("m1"));
  hb(join_request("m2"));
  auto kept = partitions(hb(beat("m1", 1, {0, 1, 2, 3, 4, 5})));
  hb(beat("m1", 1, kept));
  hb(beat("m2", 2, {}));
  const consumer_group before = *c().consumer_group_of("g");

  fake_group_log log2;
  group_coordinator reloaded(config_, log2, [this] { return now_; }, 7);
  for (const auto& b : log_.batches)
    for (const auto& rec : b.records) {
      std::optional<std::span<const uint8_t>> value;
      if (rec.value) value = std::span<const uint8_t>(*rec.value);
      if (auto k = decode_key(rec.key)) reloaded.replay(*k, value);
      else if (auto ck = decode_consumer_key(rec.key)) reloaded.replay(*ck, value);
      else ADD_FAILURE() << "a record no decoder knows";
    }
  reloaded.loaded();
  auto after = reloaded.consumer_group_of("g");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->group_epoch, before.group_epoch);
  EXPECT_EQ(after->assignment_epoch, before.assignment_epoch);
  EXPECT_EQ(after->target_assignment, before.target_assignment);
  EXPECT_EQ(after->partition_epochs, before.partition_epochs);
  EXPECT_EQ(after->subscription_metadata, before.subscription_metadata);
  ASSERT_EQ(after->members.size(), 2u);
  for (const auto& [id, m] : before.members) {
    EXPECT_TRUE(after->members.at(id).same_assignment(m)) << id;
    EXPECT_TRUE(after->members.at(id).same_metadata(m)) << id;
  }
}

TEST(ConsumerGroupRecords, KeysAndValuesHaveKafkasBytes) {
  // ConsumerGroupMetadataKey (type 3) "g", value v0 epoch 5 with no tagged fields.
  EXPECT_EQ(encode_consumer_key({consumer_record_type::group_metadata, "g", "", {}}),
            (std::vector<uint8_t>{0, 3, 0, 1, 'g'}));
  EXPECT_EQ(encode_group_epoch_value(5), (std::vector<uint8_t>{0, 0, 0, 0, 0, 5, 0}));
  EXPECT_EQ(encode_consumer_key({consumer_record_type::current_member_assignment, "g", "m", {}}),
            (std::vector<uint8_t>{0, 8, 0, 1, 'g', 0, 1, 'm'}));
  consumer_member m;
  m.member_epoch = 2;
  m.previous_member_epoch = 1;
  m.state = member_state::unrevoked_partitions;
  m.assigned_partitions[topic_id(9)] = {4};
  std::vector<uint8_t> expected = {0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 1, /*assigned*/ 2, 9};
  for (int i = 0; i < 15; ++i) expected.push_back(0);
  for (uint8_t b : {2, 0, 0, 0, 4, 0, /*pending*/ 1, /*tags*/ 0}) expected.push_back(b);
  EXPECT_EQ(encode_current_assignment_value(m), expected);
  consumer_member back;
  ASSERT_TRUE(decode_current_assignment_value(expected, back));
  EXPECT_TRUE(back.same_assignment(m));
}

}  // namespace
}  // namespace samsa::broker::groups::testing
