// Committed offsets without the network: validation as Kafka's
// OffsetMetadataManager, durability before visibility, replay after a restart.
#include <gtest/gtest.h>

#include "broker/groups/test/coordinator_fixture.h"

namespace samsa::broker::groups::testing {
namespace {

using GroupOffsets = coordinator_test;

TEST_F(GroupOffsets, ACommitWithoutGenerationCreatesASimpleGroupAndIsFetchable) {
  auto a = commit("simple", "", -1, "t", 0, 42);
  ASSERT_TRUE(a.ready());
  EXPECT_EQ(a->topics.at(0).partitions.at(0).error_code, 0);
  EXPECT_EQ(committed("simple", "t", 0), 42);
  EXPECT_EQ(committed("simple", "t", 1), -1);
  EXPECT_EQ(c().state_of("simple"), group_state::empty);
}

TEST_F(GroupOffsets, ACommittedOffsetIsVisibleOnlyOnceDurable) {
  log_.durable_at_once = false;
  auto a = commit("g", "", -1, "t", 0, 10);
  EXPECT_FALSE(a.ready());
  EXPECT_EQ(committed("g", "t", 0), -1);
  log_.complete_all();
  ASSERT_TRUE(a.ready());
  EXPECT_EQ(committed("g", "t", 0), 10);
}

TEST_F(GroupOffsets, AFailedWriteIsAnsweredWithTheCoordinatorError) {
  log_.durable_at_once = false;
  auto a = commit("g", "", -1, "t", 0, 10);
  log_.complete_all(error_code::kafka_storage_error);
  ASSERT_TRUE(a.ready());
  EXPECT_EQ(err(a->topics[0].partitions[0].error_code), error_code::not_coordinator);
  EXPECT_EQ(committed("g", "t", 0), -1);
}

TEST_F(GroupOffsets, ACommitWithAGenerationToAnUnknownGroupFails) {
  auto v8 = commit("nope", "m", 3, "t", 0, 1, 8);
  EXPECT_EQ(err(v8->topics[0].partitions[0].error_code), error_code::illegal_generation);
  auto v9 = commit("nope", "m", 3, "t", 0, 1, 9);
  EXPECT_EQ(err(v9->topics[0].partitions[0].error_code), error_code::group_id_not_found);
}

TEST_F(GroupOffsets, MembersCommitWithTheirGenerationAndNotDuringCompletingRebalance) {
  auto [id, j] = join_new("g");
  advance(3000);
  ASSERT_TRUE(j.ready());
  auto during = commit("g", id, 1, "t", 0, 5);
  EXPECT_EQ(err(during->topics[0].partitions[0].error_code), error_code::rebalance_in_progress);
  auto s = sync("g", id, 1, {{id, {}}});
  ASSERT_TRUE(s.ready());
  EXPECT_EQ(err(commit("g", id, 2, "t", 0, 5)->topics[0].partitions[0].error_code), error_code::illegal_generation);
  EXPECT_EQ(err(commit("g", "stranger", 1, "t", 0, 5)->topics[0].partitions[0].error_code),
            error_code::unknown_member_id);
  EXPECT_EQ(err(commit("g", "", -1, "t", 0, 5)->topics[0].partitions[0].error_code), error_code::unknown_member_id);
  EXPECT_EQ(err(commit("g", id, 1, "t", 0, 5)->topics[0].partitions[0].error_code), error_code::none);
  EXPECT_EQ(committed("g", "t", 0), 5);
}

TEST_F(GroupOffsets, MetadataOverTheLimitIsRefusedPerPartition) {
  protocol::offset_commit_request r;
  r.group_id = "g";
  auto& t = r.topics.emplace_back();
  t.name = "t";
  auto& big = t.partitions.emplace_back();
  big.partition_index = 0;
  big.committed_metadata = std::string(4097, 'x');
  auto& ok = t.partitions.emplace_back();
  ok.partition_index = 1;
  ok.committed_offset = 3;
  answer<protocol::offset_commit_response> a;
  c().commit_offsets(9, r, [slot = a.slot](protocol::offset_commit_response x) { *slot = x; });
  ASSERT_TRUE(a.ready());
  EXPECT_EQ(err(a->topics[0].partitions[0].error_code), error_code::offset_metadata_too_large);
  EXPECT_EQ(err(a->topics[0].partitions[1].error_code), error_code::none);
}

TEST_F(GroupOffsets, ReplayingTheWrittenRecordsRestoresOffsetsAndGroups) {
  auto [id, j] = join_new("g");
  advance(3000);
  auto s = sync("g", id, 1, {{id, {7}}});
  ASSERT_TRUE(s.ready());
  ASSERT_TRUE(commit("g", id, 1, "t", 0, 100).ready());
  ASSERT_TRUE(commit("g", id, 1, "t", 0, 150).ready());
  ASSERT_TRUE(commit("simple", "", -1, "u", 2, 9).ready());
  auto batches = log_.batches;

  make();  // a restarted broker
  for (const auto& b : batches) {
    for (const auto& r : b.records) {
      std::optional<std::span<const uint8_t>> value;
      if (r.value) value = std::span<const uint8_t>(*r.value);
      c().replay(*decode_key(r.key), value);
    }
  }
  c().loaded();
  EXPECT_EQ(committed("g", "t", 0), 150);
  EXPECT_EQ(committed("simple", "u", 2), 9);
  EXPECT_EQ(c().state_of("g"), group_state::stable);
  EXPECT_EQ(c().generation_of("g"), 1);
  // The member carries on without a rebalance.
  EXPECT_EQ(heartbeat("g", id, 1), error_code::none);
  auto again = sync("g", id, 1);
  ASSERT_TRUE(again.ready());
  EXPECT_EQ(again->assignment, std::vector<uint8_t>({7}));
}

TEST_F(GroupOffsets, AGroupCreatedByAJoinComesBackEmptyAfterARestart) {
  auto first = join("fresh", "");  // MEMBER_ID_REQUIRED: the group exists, without members
  ASSERT_TRUE(first.ready());
  auto batches = log_.batches;
  ASSERT_EQ(batches.size(), 1u);
  make();
  for (const auto& r : batches[0].records) c().replay(*decode_key(r.key), std::span<const uint8_t>(*r.value));
  c().loaded();
  EXPECT_EQ(c().state_of("fresh"), group_state::empty);
  EXPECT_EQ(c().generation_of("fresh"), 0);
}

TEST_F(GroupOffsets, DeletingAGroupWritesTombstonesAndForgetsItsOffsets) {
  ASSERT_TRUE(commit("g", "", -1, "t", 0, 1).ready());
  auto [id, j] = join_new("busy");
  std::optional<std::vector<protocol::delete_groups_response::DeletableGroupResult>> results;
  c().delete_groups({"g", "busy", "missing"}, [&](auto r) { results = std::move(r); });
  ASSERT_TRUE(results);
  EXPECT_EQ(err((*results)[0].error_code), error_code::none);
  EXPECT_EQ(err((*results)[1].error_code), error_code::non_empty_group);
  EXPECT_EQ(err((*results)[2].error_code), error_code::group_id_not_found);
  EXPECT_FALSE(c().state_of("g"));
  EXPECT_EQ(committed("g", "t", 0), -1);
  const auto& last = log_.batches.back();
  ASSERT_EQ(last.records.size(), 2u);  // the offset's tombstone, then the group's
  EXPECT_FALSE(last.records[0].value);
  EXPECT_FALSE(last.records[1].value);
}

TEST_F(GroupOffsets, OffsetDeleteRemovesOffsetsOfAnEmptyGroup) {
  ASSERT_TRUE(commit("g", "", -1, "t", 0, 1).ready());
  protocol::offset_delete_request r;
  r.group_id = "g";
  r.topics.emplace_back().name = "t";
  r.topics[0].partitions.emplace_back().partition_index = 0;
  std::optional<protocol::offset_delete_response> out;
  c().delete_offsets(r, [&](protocol::offset_delete_response x) { out = x; });
  ASSERT_TRUE(out);
  EXPECT_EQ(out->error_code, 0);
  EXPECT_EQ(committed("g", "t", 0), -1);
  r.group_id = "missing";
  c().delete_offsets(r, [&](protocol::offset_delete_response x) { out = x; });
  EXPECT_EQ(err(out->error_code), error_code::group_id_not_found);
}

TEST_F(GroupOffsets, ListAndDescribeShowStatesAsKafkaNamesThem) {
  ASSERT_TRUE(commit("simple", "", -1, "t", 0, 1).ready());
  auto [id, j] = join_new("g");
  auto all = c().list_groups({}, {});
  ASSERT_EQ(all.size(), 2u);
  auto empty = c().list_groups({"empty"}, {});
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0].group_id, "simple");
  EXPECT_EQ(empty[0].group_type, "classic");
  EXPECT_TRUE(c().list_groups({}, {"consumer"}).empty());
  EXPECT_TRUE(c().list_groups({"bogus"}, {}).empty());
  auto d = c().describe_group("g");
  EXPECT_EQ(d.group_state, "PreparingRebalance");
  EXPECT_EQ(d.protocol_type, "consumer");
  ASSERT_EQ(d.members.size(), 1u);
  EXPECT_TRUE(d.members[0].member_metadata.empty());
  EXPECT_EQ(c().describe_group("nope").group_state, "Dead");
}

TEST_F(GroupOffsets, OffsetsOfASimpleGroupExpireAfterTheRetentionAndTheGroupGoes) {
  config_.offsets_retention_ms = 60'000;
  config_.offsets_retention_check_interval_ms = 1000;
  make();
  c().tick(now_);  // arms the retention check
  ASSERT_TRUE(commit("simple", "", -1, "t", 0, 1).ready());
  advance(30'000);
  ASSERT_TRUE(commit("simple", "", -1, "t", 1, 2).ready());
  advance(30'000);  // t-0 is 60 s old, t-1 30 s
  EXPECT_EQ(committed("simple", "t", 0), -1);
  EXPECT_EQ(committed("simple", "t", 1), 2);
  advance(30'000);
  EXPECT_EQ(committed("simple", "t", 1), -1);
  EXPECT_FALSE(c().state_of("simple"));
  const auto& last = log_.batches.back();
  ASSERT_EQ(last.records.size(), 2u);  // the offset's tombstone and the group's
  EXPECT_FALSE(last.records[1].value);
}

TEST_F(GroupOffsets, AnActiveGroupKeepsItsOffsetsAndAnEmptyOneLosesThemAfterTheRetention) {
  config_.offsets_retention_ms = 60'000;
  config_.offsets_retention_check_interval_ms = 1000;
  make();
  c().tick(now_);
  auto [id, j] = join_new("g");
  advance(3000);
  ASSERT_TRUE(sync("g", id, 1, {{id, {}}}).ready());
  ASSERT_TRUE(commit("g", id, 1, "t", 0, 5).ready());
  for (int i = 0; i < 20; ++i) {  // 100 s of heartbeats: the group is active
    advance(5000);
    ASSERT_EQ(heartbeat("g", id, 1), error_code::none);
  }
  EXPECT_EQ(committed("g", "t", 0), 5);
  protocol::leave_group_request::MemberIdentity me;
  me.member_id = id;
  c().leave_group({me}, "g");
  ASSERT_EQ(c().state_of("g"), group_state::empty);
  advance(59'000);
  EXPECT_EQ(committed("g", "t", 0), 5);  // retention counts from when the group became empty
  advance(2000);
  EXPECT_EQ(committed("g", "t", 0), -1);
  EXPECT_FALSE(c().state_of("g"));
}

}  // namespace
}  // namespace samsa::broker::groups::testing
