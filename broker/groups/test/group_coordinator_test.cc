// The classic rebalance protocol without the network: Kafka's
// GroupMetadataManagerTest scenarios on a fake log and a manual clock.
#include <gtest/gtest.h>

#include "broker/groups/test/coordinator_fixture.h"

namespace samsa::broker::groups::testing {
namespace {

using GroupCoordinator = coordinator_test;

TEST_F(GroupCoordinator, AFirstJoinFromV4OnIsAskedToRejoinWithAnAssignedMemberId) {
  auto a = join("g", "");
  ASSERT_TRUE(a.ready());
  EXPECT_EQ(err(a->error_code), error_code::member_id_required);
  EXPECT_EQ(a->member_id.rfind("client-", 0), 0u);
  EXPECT_EQ(a->member_id.size(), std::string("client-").size() + 36);
}

TEST_F(GroupCoordinator, ABeforeV4JoinIsAddedAtOnce) {
  auto a = join("g", "", 3);
  EXPECT_FALSE(a.ready());  // waits for the initial rebalance delay
  advance(3000);
  ASSERT_TRUE(a.ready());
  EXPECT_EQ(err(a->error_code), error_code::none);
  EXPECT_EQ(a->generation_id, 1);
}

TEST_F(GroupCoordinator, ANewGroupWaitsForTheInitialRebalanceDelayAndElectsItsFirstMemberLeader) {
  auto [id, a] = join_new("g");
  EXPECT_FALSE(a.ready());
  advance(2999);
  EXPECT_FALSE(a.ready());
  advance(1);
  ASSERT_TRUE(a.ready());
  EXPECT_EQ(err(a->error_code), error_code::none);
  EXPECT_EQ(a->generation_id, 1);
  EXPECT_EQ(a->leader, id);
  EXPECT_EQ(a->member_id, id);
  EXPECT_EQ(a->protocol_name, "range");
  ASSERT_EQ(a->members.size(), 1u);
  EXPECT_EQ(c().state_of("g"), group_state::completing_rebalance);
}

TEST_F(GroupCoordinator, MembersJoiningDuringTheInitialDelayExtendItUpToTheRebalanceTimeout) {
  auto [id1, a1] = join_new("g");
  advance(2000);
  auto [id2, a2] = join_new("g");
  advance(1000);  // the first delay ends, a member was added: wait once more
  EXPECT_FALSE(a1.ready());
  advance(3000);
  ASSERT_TRUE(a1.ready());
  ASSERT_TRUE(a2.ready());
  EXPECT_EQ(a1->generation_id, 1);
  EXPECT_EQ(a1->leader, a2->leader);
  const bool first_leads = a1->leader == id1;
  EXPECT_EQ((first_leads ? a1 : a2)->members.size(), 2u);
  EXPECT_TRUE((first_leads ? a2 : a1)->members.empty());
}

TEST_F(GroupCoordinator, TheLeadersSyncHandsEveryMemberItsAssignmentOnceTheGroupRecordIsDurable) {
  auto [id1, a1] = join_new("g");
  auto [id2, a2] = join_new("g");
  advance(3000);
  advance(3000);
  ASSERT_TRUE(a1.ready() && a2.ready());
  const std::string leader = a1->leader;
  const std::string follower = leader == id1 ? id2 : id1;

  ASSERT_EQ(log_.batches.size(), 1u);  // the new group's empty GroupMetadata record
  log_.durable_at_once = false;
  auto fs = sync("g", follower, 1);
  EXPECT_FALSE(fs.ready());
  auto ls = sync("g", leader, 1, {{leader, {1}}, {follower, {2}}});
  EXPECT_FALSE(ls.ready());  // the GroupMetadata record is not durable yet
  ASSERT_EQ(log_.batches.size(), 2u);
  EXPECT_EQ(c().state_of("g"), group_state::completing_rebalance);
  log_.complete_all();
  ASSERT_TRUE(ls.ready() && fs.ready());
  EXPECT_EQ(ls->assignment, std::vector<uint8_t>({1}));
  EXPECT_EQ(fs->assignment, std::vector<uint8_t>({2}));
  EXPECT_EQ(ls->protocol_name, "range");
  EXPECT_EQ(c().state_of("g"), group_state::stable);
  EXPECT_EQ(heartbeat("g", follower, 1), error_code::none);
}

TEST_F(GroupCoordinator, AFailedGroupRecordWriteFailsTheSyncAndRebalances) {
  auto [id, a] = join_new("g");
  advance(3000);
  log_.durable_at_once = false;
  auto s = sync("g", id, 1, {{id, {1}}});
  log_.complete_all(error_code::not_leader_or_follower);
  ASSERT_TRUE(s.ready());
  EXPECT_EQ(err(s->error_code), error_code::not_coordinator);
  EXPECT_EQ(c().state_of("g"), group_state::preparing_rebalance);
}

class StableGroup : public coordinator_test {
 protected:
  void SetUp() override {
    auto [a, ja] = join_new("g");
    auto [b, jb] = join_new("g");
    advance(6000);
    ASSERT_TRUE(ja.ready() && jb.ready());
    leader = ja->leader;
    follower = leader == a ? b : a;
    auto ls = sync("g", leader, 1, {{leader, {1}}, {follower, {2}}});
    auto fs = sync("g", follower, 1);
    ASSERT_TRUE(ls.ready() && fs.ready());
    ASSERT_EQ(c().state_of("g"), group_state::stable);
  }
  std::string leader, follower;
};

TEST_F(StableGroup, AJoiningMemberMakesOthersRebalanceAndTheyRejoinInTheNextGeneration) {
  auto [id3, j3] = join_new("g");
  EXPECT_FALSE(j3.ready());
  EXPECT_EQ(c().state_of("g"), group_state::preparing_rebalance);
  EXPECT_EQ(heartbeat("g", leader, 1), error_code::rebalance_in_progress);
  auto jl = join("g", leader);
  EXPECT_FALSE(jl.ready());
  auto jf = join("g", follower);
  ASSERT_TRUE(jl.ready() && jf.ready() && j3.ready());  // everyone joined: no waiting for the timeout
  EXPECT_EQ(jl->generation_id, 2);
  EXPECT_EQ(jl->leader, leader);  // the leader keeps its role
  EXPECT_EQ(jl->members.size(), 3u);
}

TEST_F(StableGroup, AMemberThatDoesNotRejoinInTimeIsDroppedFromTheNextGeneration) {
  auto jl = join("g", leader);  // the leader forces a rebalance
  EXPECT_FALSE(jl.ready());
  for (int i = 0; i < 5; ++i) {
    advance(5000);  // the follower keeps its session but never rejoins
    EXPECT_EQ(heartbeat("g", follower, 1), error_code::rebalance_in_progress);
  }
  advance(4999);
  EXPECT_FALSE(jl.ready());
  advance(1);  // rebalance timeout (30 s)
  ASSERT_TRUE(jl.ready());
  EXPECT_EQ(jl->generation_id, 2);
  EXPECT_EQ(jl->members.size(), 1u);
  EXPECT_EQ(heartbeat("g", follower, 1), error_code::unknown_member_id);
}

TEST_F(StableGroup, ASilentMemberExpiresAfterItsSessionTimeoutAndTheGroupRebalances) {
  for (int i = 0; i < 3; ++i) {
    advance(3000);
    EXPECT_EQ(heartbeat("g", leader, 1), error_code::none);
  }
  advance(3000);
  // The follower has been silent for 12 s > 10 s: gone, and the others rebalance.
  EXPECT_EQ(heartbeat("g", leader, 1), error_code::rebalance_in_progress);
  EXPECT_EQ(heartbeat("g", follower, 1), error_code::unknown_member_id);
  EXPECT_EQ(c().state_of("g"), group_state::preparing_rebalance);
  auto jl = join("g", leader);
  ASSERT_TRUE(jl.ready());
  EXPECT_EQ(jl->generation_id, 2);
  EXPECT_EQ(jl->members.size(), 1u);
}

TEST_F(StableGroup, HeartbeatsCheckMemberAndGeneration) {
  EXPECT_EQ(heartbeat("other", leader, 1), error_code::unknown_member_id);
  EXPECT_EQ(heartbeat("g", "nobody", 1), error_code::unknown_member_id);
  EXPECT_EQ(heartbeat("g", leader, 7), error_code::illegal_generation);
}

TEST_F(StableGroup, SyncChecksGenerationAndAnswersAStableMemberAtOnce) {
  auto bad = sync("g", follower, 5);
  ASSERT_TRUE(bad.ready());
  EXPECT_EQ(err(bad->error_code), error_code::illegal_generation);
  auto again = sync("g", follower, 1);
  ASSERT_TRUE(again.ready());
  EXPECT_EQ(again->assignment, std::vector<uint8_t>({2}));
}

TEST_F(StableGroup, AJoinWithAnotherProtocolIsInconsistent) {
  auto a = join("g", "", 9, "roundrobin");
  ASSERT_TRUE(a.ready());
  EXPECT_EQ(err(a->error_code), error_code::inconsistent_group_protocol);
}

TEST_F(StableGroup, AFollowerRejoiningWithSameMetadataGetsTheCurrentGeneration) {
  auto j = join("g", follower);
  ASSERT_TRUE(j.ready());
  EXPECT_EQ(j->generation_id, 1);
  EXPECT_EQ(c().state_of("g"), group_state::stable);
}

TEST_F(StableGroup, LeavingMembersEmptyTheGroupInTheNextGeneration) {
  protocol::leave_group_request::MemberIdentity l, f, x;
  l.member_id = leader;
  f.member_id = follower;
  x.member_id = "ghost";
  auto r = c().leave_group({l, f, x}, "g");
  EXPECT_EQ(r.error_code, 0);
  ASSERT_EQ(r.members.size(), 3u);
  EXPECT_EQ(err(r.members[0].error_code), error_code::none);
  EXPECT_EQ(err(r.members[2].error_code), error_code::unknown_member_id);
  EXPECT_EQ(c().state_of("g"), group_state::empty);
  EXPECT_EQ(c().generation_of("g"), 2);
}

TEST_F(StableGroup, MembersThatNeverSyncAreRemovedWhenTheSyncPhaseTimesOut) {
  auto [id3, j3] = join_new("g");
  auto jl = join("g", leader);
  auto jf = join("g", follower);
  ASSERT_TRUE(j3.ready());
  auto ls = sync("g", leader, 2, {});
  ASSERT_TRUE(ls.ready());  // the record is durable at once here
  advance(30'000);  // rebalance timeout: the two others never synced
  EXPECT_EQ(heartbeat("g", follower, 2), error_code::unknown_member_id);
}

TEST_F(GroupCoordinator, AJoinWithAMemberIdForAnUnknownGroupIsUnknownMember) {
  auto a = join("nope", "someone");
  ASSERT_TRUE(a.ready());
  EXPECT_EQ(err(a->error_code), error_code::unknown_member_id);
}

TEST_F(GroupCoordinator, LeavingAGroupThatDoesNotExistAnswersEveryMemberUnknown) {
  protocol::leave_group_request::MemberIdentity a, b;
  a.member_id = "a";
  b.group_instance_id = "i";
  auto r = c().leave_group({a, b}, "nope");
  EXPECT_EQ(r.error_code, 0);
  ASSERT_EQ(r.members.size(), 2u);
  EXPECT_EQ(err(r.members[0].error_code), error_code::unknown_member_id);
  EXPECT_EQ(r.members[1].group_instance_id, "i");
  EXPECT_EQ(err(r.members[1].error_code), error_code::unknown_member_id);
}

TEST_F(GroupCoordinator, APendingMemberThatNeverRejoinsExpires) {
  auto a = join("g", "");
  const std::string id = a->member_id;
  advance(10'001);
  auto b = join("g", id);
  ASSERT_TRUE(b.ready());
  EXPECT_EQ(err(b->error_code), error_code::unknown_member_id);
}

TEST_F(GroupCoordinator, GroupMaxSizeRefusesTheMemberOverTheLimit) {
  config_.max_size = 1;
  make();
  auto [id1, a1] = join_new("g");
  auto b = join("g", "", 3);
  ASSERT_TRUE(b.ready());
  EXPECT_EQ(err(b->error_code), error_code::group_max_size_reached);
}

TEST_F(GroupCoordinator, AStaticMemberRejoiningWithANewIdFencesItsOldId) {
  auto a = join("g", "", 9, "range", {0, 0}, std::string("instance-1"));
  EXPECT_FALSE(a.ready());  // static members join without MEMBER_ID_REQUIRED
  advance(3000);
  ASSERT_TRUE(a.ready());
  const std::string old_id = a->member_id;
  EXPECT_EQ(old_id.rfind("instance-1-", 0), 0u);
  auto s = sync("g", old_id, 1, {{old_id, {9}}});
  ASSERT_TRUE(s.ready());
  auto again = join("g", "", 9, "range", {0, 0}, std::string("instance-1"));
  ASSERT_TRUE(again.ready());  // same protocol, stable group: no rebalance
  EXPECT_EQ(err(again->error_code), error_code::none);
  EXPECT_EQ(again->generation_id, 1);
  EXPECT_NE(again->member_id, old_id);
  protocol::heartbeat_request hb;
  hb.group_id = "g";
  hb.member_id = old_id;
  hb.group_instance_id = "instance-1";
  hb.generation_id = 1;
  EXPECT_EQ(c().heartbeat(hb), error_code::fenced_instance_id);
}

TEST_F(GroupCoordinator, ShutdownAnswersWaitingJoinsWithNotCoordinator) {
  auto [id, a] = join_new("g");
  c().shutdown();
  ASSERT_TRUE(a.ready());
  EXPECT_EQ(err(a->error_code), error_code::not_coordinator);
}

}  // namespace
}  // namespace samsa::broker::groups::testing
