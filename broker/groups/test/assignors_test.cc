// The uniform and range server-side assignors: balance, stickiness, ranges.
#include <gtest/gtest.h>

#include "broker/groups/assignors.h"

namespace samsa::broker::groups {
namespace {

uuid topic(uint8_t n) {
  uuid u;
  u.bytes[15] = n;
  return u;
}

size_t count(const topic_assignment& a) {
  size_t n = 0;
  for (const auto& [t, ps] : a) n += ps.size();
  return n;
}

assignment_input members_on(std::vector<std::string> ids, std::map<uuid, int32_t> topics) {
  assignment_input in;
  in.topic_partitions = topics;
  for (const auto& id : ids)
    for (const auto& [t, n] : topics) in.members[id].subscribed_topic_ids.insert(t);
  return in;
}

void expect_every_partition_once(const assignment_output& out, const std::map<uuid, int32_t>& topics) {
  std::map<std::pair<uuid, int32_t>, int> seen;
  for (const auto& [m, a] : out)
    for (const auto& [t, ps] : a)
      for (int32_t p : ps) ++seen[{t, p}];
  size_t total = 0;
  for (const auto& [t, n] : topics) total += static_cast<size_t>(n);
  EXPECT_EQ(seen.size(), total);
  for (const auto& [k, c] : seen) EXPECT_EQ(c, 1);
}

TEST(UniformAssignor, SpreadsSixPartitionsEvenlyOverTwoMembers) {
  auto in = members_on({"a", "b"}, {{topic(1), 6}});
  auto out = assign_uniform(in);
  EXPECT_EQ(count(out["a"]), 3u);
  EXPECT_EQ(count(out["b"]), 3u);
  expect_every_partition_once(out, in.topic_partitions);
}

TEST(UniformAssignor, BalancesToWithinOnePartitionAcrossTopics) {
  auto in = members_on({"a", "b", "c"}, {{topic(1), 5}, {topic(2), 3}});
  auto out = assign_uniform(in);
  size_t lo = SIZE_MAX, hi = 0;
  for (const auto& [m, a] : out) {
    lo = std::min(lo, count(a));
    hi = std::max(hi, count(a));
  }
  EXPECT_LE(hi - lo, 1u);
  expect_every_partition_once(out, in.topic_partitions);
}

TEST(UniformAssignor, KeepsPartitionsOfRemainingMembersWhenOneJoins) {
  auto in = members_on({"a", "b"}, {{topic(1), 6}});
  auto first = assign_uniform(in);
  in = members_on({"a", "b", "c"}, {{topic(1), 6}});
  in.members["a"].current_target = first["a"];
  in.members["b"].current_target = first["b"];
  auto second = assign_uniform(in);
  EXPECT_EQ(count(second["c"]), 2u);
  // a and b each give up one partition and keep the other two.
  for (const std::string m : {"a", "b"}) {
    EXPECT_EQ(count(second[m]), 2u);
    for (int32_t p : second[m][topic(1)]) EXPECT_TRUE(first[m][topic(1)].contains(p)) << m << " lost " << p;
  }
  expect_every_partition_once(second, in.topic_partitions);
}

TEST(UniformAssignor, GivesTheLeaversPartitionsToTheOthersAndMovesNothingElse) {
  auto in = members_on({"a", "b", "c"}, {{topic(1), 6}});
  auto first = assign_uniform(in);
  in = members_on({"a", "b"}, {{topic(1), 6}});
  in.members["a"].current_target = first["a"];
  in.members["b"].current_target = first["b"];
  auto second = assign_uniform(in);
  EXPECT_EQ(count(second["a"]), 3u);
  EXPECT_EQ(count(second["b"]), 3u);
  for (const std::string m : {"a", "b"})
    for (int32_t p : first[m][topic(1)]) EXPECT_TRUE(second[m][topic(1)].contains(p));
}

TEST(UniformAssignor, GivesATopicOnlyToItsSubscribers) {
  assignment_input in;
  in.topic_partitions = {{topic(1), 4}, {topic(2), 2}};
  in.members["a"].subscribed_topic_ids = {topic(1)};
  in.members["b"].subscribed_topic_ids = {topic(1), topic(2)};
  auto out = assign_uniform(in);
  EXPECT_FALSE(out["a"].contains(topic(2)));
  EXPECT_EQ(out["b"][topic(2)].size(), 2u);
  expect_every_partition_once(out, in.topic_partitions);
  EXPECT_EQ(count(out["a"]), 3u);  // 4 + 2 over two members: a takes more of topic 1
}

TEST(RangeAssignor, GivesContiguousRangesWithTheRemainderToTheFirstMembers) {
  auto in = members_on({"m1", "m2", "m3"}, {{topic(1), 7}});
  auto out = assign_range(in);
  EXPECT_EQ(out["m1"][topic(1)], (std::set<int32_t>{0, 1, 2}));
  EXPECT_EQ(out["m2"][topic(1)], (std::set<int32_t>{3, 4}));
  EXPECT_EQ(out["m3"][topic(1)], (std::set<int32_t>{5, 6}));
}

TEST(RangeAssignor, CoPartitionsTopicsOfTheSameSize) {
  auto in = members_on({"m1", "m2"}, {{topic(1), 4}, {topic(2), 4}});
  auto out = assign_range(in);
  EXPECT_EQ(out["m1"][topic(1)], out["m1"][topic(2)]);
  EXPECT_EQ(out["m2"][topic(1)], (std::set<int32_t>{2, 3}));
}

TEST(Assignors, KnowTheirKafkaClassNamesAndNothingElse) {
  EXPECT_EQ(assignor_short_name("org.apache.kafka.coordinator.group.assignor.UniformAssignor"), "uniform");
  EXPECT_EQ(assignor_short_name("range"), "range");
  EXPECT_EQ(assignor_short_name("sticky"), std::nullopt);
}

}  // namespace
}  // namespace samsa::broker::groups
