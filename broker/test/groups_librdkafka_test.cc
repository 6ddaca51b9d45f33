// Consumer groups end to end with librdkafka's KafkaConsumer (subscribe, the
// classic protocol: FindCoordinator, JoinGroup, SyncGroup, Heartbeat,
// OffsetCommit, OffsetFetch, LeaveGroup) against an in-process broker.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include "broker/test/data_topics_fixture.h"
#include "broker/test/groups_rdkafka.h"
#include "broker/test/wire_client.h"
#include "protocol/generated/consumer_group_describe.h"
#include "protocol/generated/consumer_group_heartbeat.h"
#include "protocol/generated/describe_groups.h"

namespace samsa::broker::testing {
namespace {

using namespace std::chrono_literals;

class GroupsLibrdkafka : public data_fixture {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    return {{"offsets.topic.replication.factor", "1"},
            {"offsets.topic.num.partitions", "5"},
            {"group.initial.rebalance.delay.ms", "300"}};
  }
};

TEST_F(GroupsLibrdkafka, TwoConsumersInOneGroupSplitFourPartitionsAndReadEveryRecordExactlyOnce) {
  create_topic("shared", 4);
  group_consumer a(bootstrap(), "sharers", "shared");
  group_consumer b(bootstrap(), "sharers", "shared");
  // Both members hold two partitions each before anything is produced, so no
  // record is handed out before the final rebalance.
  ASSERT_TRUE(poll_until({&a, &b}, 60s, [&] {
    auto x = a.assignment(), y = b.assignment();
    if (x.size() != 2 || y.size() != 2) return false;
    x.insert(y.begin(), y.end());
    return x.size() == 4;
  })) << "assignments " << a.assignment().size() << " + " << b.assignment().size();

  constexpr int64_t kRecords = 4000;
  produce_and_flush(bootstrap(), "shared", "s", kRecords, 4);
  ASSERT_TRUE(poll_until({&a, &b}, 60s, [&] {
    return static_cast<int64_t>(a.seen().size() + b.seen().size()) >= kRecords;
  })) << a.seen().size() << " + " << b.seen().size();
  // A little more polling finds no duplicate either.
  poll_until({&a, &b}, 300ms, [] { return false; });

  std::set<std::pair<int32_t, int64_t>> all;
  for (auto* c : {&a, &b})
    for (const auto& r : c->seen()) EXPECT_TRUE(all.insert(r).second) << "partition " << r.first << " offset " << r.second << " twice";
  EXPECT_EQ(static_cast<int64_t>(all.size()), kRecords);
  for (int32_t p = 0; p < 4; ++p)
    for (int64_t o = 0; o < kRecords / 4; ++o) EXPECT_TRUE(all.contains({p, o})) << p << "/" << o;
  EXPECT_EQ(a.seen().size(), kRecords / 2);
  EXPECT_EQ(b.seen().size(), kRecords / 2);
}

TEST_F(GroupsLibrdkafka, ARestartedConsumerResumesFromItsCommittedOffsets) {
  create_topic("resume", 4);
  constexpr int64_t kRecords = 400;
  produce_and_flush(bootstrap(), "resume", "r", kRecords, 4);

  std::map<int32_t, int64_t> next;  // per partition: the offset after the last record read
  {
    group_consumer c(bootstrap(), "resumers", "resume");
    ASSERT_TRUE(poll_until({&c}, 60s, [&] { return c.seen().size() >= 150; }));
    for (const auto& [p, o] : c.seen()) next[p] = std::max(next[p], o + 1);
    ASSERT_EQ(c.commit(), RD_KAFKA_RESP_ERR_NO_ERROR);
    auto committed = c.committed("resume", 4);
    for (int32_t p = 0; p < 4; ++p) {
      const int64_t want = next.contains(p) ? next[p] : RD_KAFKA_OFFSET_INVALID;
      EXPECT_EQ(committed[p], want) << "partition " << p;
    }
    const size_t read = c.seen().size();
    c.close();
    ASSERT_EQ(read, c.seen().size());
  }
  int64_t first_read = 0;
  for (const auto& [p, n] : next) first_read += n;

  group_consumer again(bootstrap(), "resumers", "resume");
  ASSERT_TRUE(poll_until({&again}, 60s, [&] {
    return static_cast<int64_t>(again.seen().size()) >= kRecords - first_read;
  })) << again.seen().size() << " of " << kRecords - first_read;
  std::map<int32_t, int64_t> first;
  for (const auto& [p, o] : again.seen()) {
    if (!first.contains(p)) first[p] = o;
    EXPECT_GE(o, next.contains(p) ? next[p] : 0) << "partition " << p << " re-read a committed record";
  }
  for (const auto& [p, o] : first) EXPECT_EQ(o, next.contains(p) ? next[p] : 0) << "partition " << p;
  for (int32_t p = 0; p < 4; ++p)
    if (!first.contains(p)) {
      EXPECT_EQ(next[p], kRecords / 4) << "partition " << p << " was not resumed";
    }
  EXPECT_EQ(static_cast<int64_t>(again.seen().size()), kRecords - first_read);
}

TEST_F(GroupsLibrdkafka, AStaticMemberThatComesBackTakesItsPlaceWithoutWaitingForItsSession) {
  create_topic("static", 2);
  constexpr int64_t kRecords = 200;
  produce_and_flush(bootstrap(), "static", "st", kRecords, 2);
  // A session far longer than the test: only KIP-345's replacement can let
  // the second incarnation in before the first one's session expires.
  const std::vector<std::pair<std::string, std::string>> conf = {{"group.instance.id", "instance-1"},
                                                                 {"session.timeout.ms", "120000"}};
  int64_t read_first = 0;
  {
    group_consumer first(bootstrap(), "statics", "static", conf);
    ASSERT_TRUE(poll_until({&first}, 60s, [&] { return first.seen().size() >= 50; }));
    ASSERT_EQ(first.commit(), RD_KAFKA_RESP_ERR_NO_ERROR);
    for (const auto& [p, n] : first.committed("static", 2)) read_first += n > 0 ? n : 0;
    first.close();  // a static member does not leave the group on close
  }
  group_consumer again(bootstrap(), "statics", "static", conf);
  ASSERT_TRUE(poll_until({&again}, 30s, [&] {
    return static_cast<int64_t>(again.seen().size()) >= kRecords - read_first;
  })) << again.seen().size() << " of " << kRecords - read_first;
  EXPECT_EQ(again.assignment().size(), 2u);

  protocol::describe_groups_request dr;
  dr.groups = {"statics"};
  wire_client c(port());
  ASSERT_TRUE(c.send(5, 1, dr));
  auto d = c.read_response<protocol::describe_groups_response>(5, 1, 10s);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->groups.at(0).members.size(), 1u);
  EXPECT_EQ(d->groups[0].members[0].group_instance_id, "instance-1");
  EXPECT_EQ(d->groups[0].group_state, "Stable");
}

// Online migration with a real classic client: librdkafka's classic member
// owns the four partitions; a consumer-protocol member (raw
// ConsumerGroupHeartbeat) joins and the group is upgraded: 2 + 2, each
// partition owned once; it leaves and the group is classic again, the
// librdkafka member owning all four.
TEST_F(GroupsLibrdkafka, AClassicMemberSharesAGroupWithAConsumerProtocolMemberThroughUpgradeAndDowngrade) {
  using hb_request = protocol::consumer_group_heartbeat_request;
  using hb_response = protocol::consumer_group_heartbeat_response;
  const uuid topic = create_topic("migrating", 4);
  group_consumer a(bootstrap(), "migrating-group", "migrating");
  ASSERT_TRUE(poll_until({&a}, 60s, [&] { return a.assignment().size() == 4; }));

  auto beat = [&](const hb_request& r) {
    wire_client c(port());
    EXPECT_TRUE(c.send(1, 9, r));
    auto resp = c.read_response<hb_response>(1, 9, 10s);
    EXPECT_TRUE(resp);
    return resp.value_or(hb_response{});
  };
  hb_request j;
  j.group_id = "migrating-group";
  j.member_id = "consumer-protocol-member";
  j.member_epoch = 0;
  j.rebalance_timeout_ms = 30000;
  j.subscribed_topic_names = std::vector<std::string>{"migrating"};
  j.topic_partitions.emplace();
  auto r = beat(j);
  ASSERT_EQ(r.error_code, 0) << r.error_message.value_or("");
  int32_t epoch = r.member_epoch;
  std::set<int32_t> mine;
  auto take = [&](const hb_response& resp) {
    if (!resp.assignment) return;
    mine.clear();
    for (const auto& tp : resp.assignment->topic_partitions)
      if (tp.topic_id == topic) mine.insert(tp.partitions.begin(), tp.partitions.end());
  };
  take(r);
  // Heartbeats of both members until they hold two partitions each.
  auto next_beat = std::chrono::steady_clock::now();
  ASSERT_TRUE(poll_until({&a}, 60s, [&] {
    if (std::chrono::steady_clock::now() >= next_beat) {
      hb_request h;
      h.group_id = j.group_id;
      h.member_id = j.member_id;
      h.member_epoch = epoch;
      h.topic_partitions.emplace();
      if (!mine.empty()) h.topic_partitions->push_back({topic, {mine.begin(), mine.end()}, {}});
      auto resp = beat(h);
      EXPECT_EQ(resp.error_code, 0) << resp.error_message.value_or("");
      epoch = resp.member_epoch;
      take(resp);
      next_beat = std::chrono::steady_clock::now() + 200ms;
    }
    auto theirs = a.assignment();
    if (theirs.size() != 2 || mine.size() != 2) return false;
    theirs.insert(mine.begin(), mine.end());
    return theirs.size() == 4;
  })) << "librdkafka " << a.assignment().size() << " + consumer protocol " << mine.size();
  // The group is a consumer group now, describing both members.
  {
    protocol::consumer_group_describe_request d;
    d.group_ids = {"migrating-group"};
    wire_client c(port());
    ASSERT_TRUE(c.send(0, 9, d));
    auto dr = c.read_response<protocol::consumer_group_describe_response>(0, 9, 10s);
    ASSERT_TRUE(dr);
    ASSERT_EQ(dr->groups.at(0).error_code, 0);
    EXPECT_EQ(dr->groups[0].members.size(), 2u);
  }

  // The consumer-protocol member leaves: downgraded, librdkafka owns the four again.
  hb_request leave;
  leave.group_id = j.group_id;
  leave.member_id = j.member_id;
  leave.member_epoch = -1;
  EXPECT_EQ(beat(leave).error_code, 0);
  ASSERT_TRUE(poll_until({&a}, 60s, [&] { return a.assignment().size() == 4; }));
  protocol::describe_groups_request dg;
  dg.groups = {"migrating-group"};
  wire_client c(port());
  ASSERT_TRUE(c.send(5, 9, dg));
  auto described = c.read_response<protocol::describe_groups_response>(5, 9, 10s);
  ASSERT_TRUE(described);
  EXPECT_EQ(described->groups.at(0).group_state, "Stable");
  EXPECT_EQ(described->groups[0].protocol_type, "consumer");
  EXPECT_EQ(described->groups[0].members.size(), 1u);
}

}  // namespace
}  // namespace samsa::broker::testing
