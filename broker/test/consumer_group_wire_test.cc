// The KIP-848 consumer group APIs over a real socket: ConsumerGroupHeartbeat
// (v0 and v1) errors and assignments, ConsumerGroupDescribe, ListGroups types,
// DescribeGroups of a consumer group, ApiVersions advertising both.

#include <gtest/gtest.h>

#include <thread>

#include "broker/test/admin_fixture.h"
#include "broker/test/data_topics_fixture.h"
#include "broker/test/wire_client.h"
#include "protocol/error_code.h"
#include "protocol/generated/api_versions.h"
#include "protocol/generated/consumer_group_describe.h"
#include "protocol/generated/consumer_group_heartbeat.h"
#include "protocol/generated/describe_groups.h"
#include "protocol/generated/find_coordinator.h"
#include "protocol/generated/list_groups.h"

namespace samsa::broker::testing {
namespace {

using namespace std::chrono_literals;
using protocol::error_code;
using hb_request = protocol::consumer_group_heartbeat_request;
using hb_response = protocol::consumer_group_heartbeat_response;

error_code err(int16_t c) { return static_cast<error_code>(c); }

class ConsumerGroupWire : public data_fixture {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    return {{"offsets.topic.replication.factor", "1"}, {"offsets.topic.num.partitions", "3"}};
  }

  template <typename Response, typename Request>
  Response call(int16_t version, const Request& request) {
    wire_client c(port());
    EXPECT_TRUE(c.send(version, 9, request));
    auto r = c.read_response<Response>(version, 9, 10s);
    EXPECT_TRUE(r) << "no answer to API " << Request::api_key << " v" << version;
    return r ? *r : Response{};
  }

  void await_coordinator() {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      protocol::find_coordinator_request r;
      r.key = "any";
      if (call<protocol::find_coordinator_response>(3, r).error_code == 0) return;
      std::this_thread::yield();
    }
    FAIL() << "no coordinator";
  }

  static hb_request join(const std::string& member, const std::string& topic) {
    hb_request r;
    r.group_id = "cg";
    r.member_id = member;
    r.member_epoch = 0;
    r.rebalance_timeout_ms = 30000;
    r.subscribed_topic_names = std::vector<std::string>{topic};
    r.topic_partitions.emplace();
    return r;
  }
};

TEST_F(ConsumerGroupWire, ApiVersionsAdvertisesHeartbeatZeroToOneAndDescribeZero) {
  protocol::api_versions_request q;
  q.client_software_name = "samsa-test";
  q.client_software_version = "1.0";
  auto r = call<protocol::api_versions_response>(3, q);
  EXPECT_EQ(r.error_code, 0);
  bool heartbeat = false, describe = false;
  for (const auto& k : r.api_keys) {
    if (k.api_key == 68) heartbeat = k.min_version == 0 && k.max_version == 1;
    if (k.api_key == 69) describe = k.min_version == 0 && k.max_version == 0;
  }
  EXPECT_TRUE(heartbeat);
  EXPECT_TRUE(describe);
}

TEST_F(ConsumerGroupWire, AMemberJoinsGetsTopicIdAssignmentsAndIsDescribedAndListed) {
  await_coordinator();
  const uuid id = create_topic("cg-topic", 4);
  auto r = call<hb_response>(1, join("member-a-0123456789", "cg-topic"));
  ASSERT_EQ(err(r.error_code), error_code::none) << r.error_message.value_or("");
  EXPECT_EQ(r.member_epoch, 1);
  EXPECT_EQ(r.heartbeat_interval_ms, 5000);
  ASSERT_TRUE(r.assignment);
  ASSERT_EQ(r.assignment->topic_partitions.size(), 1u);
  EXPECT_EQ(r.assignment->topic_partitions[0].topic_id, id);
  EXPECT_EQ(r.assignment->topic_partitions[0].partitions, (std::vector<int32_t>{0, 1, 2, 3}));

  protocol::consumer_group_describe_request d;
  d.group_ids = {"cg", "nothing-here"};
  auto dr = call<protocol::consumer_group_describe_response>(0, d);
  ASSERT_EQ(dr.groups.size(), 2u);
  EXPECT_EQ(dr.groups[0].error_code, 0);
  EXPECT_EQ(dr.groups[0].group_state, "Stable");
  EXPECT_EQ(dr.groups[0].assignor_name, "uniform");
  ASSERT_EQ(dr.groups[0].members.size(), 1u);
  EXPECT_EQ(dr.groups[0].members[0].assignment.topic_partitions.at(0).topic_name, "cg-topic");
  EXPECT_EQ(err(dr.groups[1].error_code), error_code::group_id_not_found);

  protocol::list_groups_request l;
  l.types_filter = {"consumer"};
  auto lr = call<protocol::list_groups_response>(5, l);
  ASSERT_EQ(lr.groups.size(), 1u);
  EXPECT_EQ(lr.groups[0].group_type, "consumer");
  EXPECT_EQ(lr.groups[0].protocol_type, "consumer");

  protocol::describe_groups_request g;
  g.groups = {"cg"};
  EXPECT_EQ(call<protocol::describe_groups_response>(5, g).groups.at(0).group_state, "Dead");
}

TEST_F(ConsumerGroupWire, BadHeartbeatsGetKafkasErrors) {
  await_coordinator();
  create_topic("cg-errors", 1);
  auto no_timeout = join("m-1", "cg-errors");
  no_timeout.rebalance_timeout_ms = -1;
  auto r = call<hb_response>(1, no_timeout);
  EXPECT_EQ(err(r.error_code), error_code::invalid_request);
  EXPECT_EQ(r.error_message, "RebalanceTimeoutMs must be provided in first request.");

  EXPECT_EQ(err(call<hb_response>(1, join("", "cg-errors")).error_code), error_code::invalid_request);
  auto v0 = call<hb_response>(0, join("", "cg-errors"));  // v0: the coordinator names the member
  EXPECT_EQ(err(v0.error_code), error_code::none);
  EXPECT_EQ(v0.member_id.value_or("").size(), 22u);

  auto ahead = join(*v0.member_id, "cg-errors");
  ahead.member_epoch = 9;
  EXPECT_EQ(err(call<hb_response>(1, ahead).error_code), error_code::fenced_member_epoch);
  auto stranger = join("stranger", "cg-errors");
  stranger.member_epoch = 1;
  EXPECT_EQ(err(call<hb_response>(1, stranger).error_code), error_code::unknown_member_id);
  auto assignor = join("m-2", "cg-errors");
  assignor.server_assignor = "cooperative-sticky";
  EXPECT_EQ(err(call<hb_response>(1, assignor).error_code), error_code::unsupported_assignor);
  auto unknown_group = stranger;
  unknown_group.group_id = "no-such-group";
  EXPECT_EQ(err(call<hb_response>(1, unknown_group).error_code), error_code::group_id_not_found);
}

TEST_F(ConsumerGroupWire, ARegexMemberGetsMatchingTopicsAndOneCreatedAfterItJoined) {
  await_coordinator();
  const uuid a = create_topic("rx-a", 2);
  create_topic("other", 1);
  auto bad = join("rx-member-0123456789", "unused");
  bad.subscribed_topic_names.reset();
  bad.subscribed_topic_regex = "rx-(";
  auto refused = call<hb_response>(1, bad);
  EXPECT_EQ(err(refused.error_code), error_code::invalid_regular_expression);
  EXPECT_EQ(refused.error_message, "SubscribedTopicRegex `rx-(` is not a valid regular expression: missing closing ).");

  auto j = bad;
  j.subscribed_topic_regex = "rx-.*";
  auto r = call<hb_response>(1, j);
  ASSERT_EQ(err(r.error_code), error_code::none) << r.error_message.value_or("");
  ASSERT_TRUE(r.assignment);
  ASSERT_EQ(r.assignment->topic_partitions.size(), 1u);
  EXPECT_EQ(r.assignment->topic_partitions[0].topic_id, a);

  protocol::consumer_group_describe_request d;
  d.group_ids = {"cg"};
  auto dr = call<protocol::consumer_group_describe_response>(0, d);
  ASSERT_EQ(dr.groups.at(0).members.size(), 1u);
  EXPECT_EQ(dr.groups[0].members[0].subscribed_topic_regex, "rx-.*");

  // A matching topic created later is assigned once the group's expressions
  // are resolved again (at most every 10 s, on a heartbeat).
  const uuid b = create_topic("rx-b", 3);
  int32_t epoch = r.member_epoch;
  std::vector<hb_request::TopicPartitions> owned;
  for (const auto& tp : r.assignment->topic_partitions) owned.push_back({tp.topic_id, tp.partitions, {}});
  bool got_b = false;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!got_b && std::chrono::steady_clock::now() < deadline) {
    hb_request beat;
    beat.group_id = "cg";
    beat.member_id = j.member_id;
    beat.member_epoch = epoch;
    beat.topic_partitions = owned;
    auto next = call<hb_response>(1, beat);
    ASSERT_EQ(err(next.error_code), error_code::none) << next.error_message.value_or("");
    epoch = next.member_epoch;
    if (next.assignment) {
      owned.clear();
      for (const auto& tp : next.assignment->topic_partitions) {
        owned.push_back({tp.topic_id, tp.partitions, {}});
        if (tp.topic_id == b) got_b = tp.partitions == std::vector<int32_t>{0, 1, 2};
      }
    }
    if (!got_b) std::this_thread::sleep_for(200ms);  // the heartbeat interval of a client, shortened
  }
  EXPECT_TRUE(got_b) << "rx-b was never assigned";
  EXPECT_GT(epoch, 1);
}

class ConsumerGroupRestart : public admin_fixture {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    return {{"offsets.topic.replication.factor", "1"}, {"offsets.topic.num.partitions", "1"}};
  }
  void await_coordinator() {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      protocol::find_coordinator_request r;
      r.key = "any";
      auto a = call<protocol::find_coordinator_response>(3, r);
      if (a && a->error_code == 0) return;
      std::this_thread::yield();
    }
    FAIL() << "no coordinator";
  }
  hb_response beat(hb_request r) {
    auto a = call<hb_response>(1, r);
    EXPECT_TRUE(a);
    return a.value_or(hb_response{});
  }
};

TEST_F(ConsumerGroupRestart, AGroupComesBackAfterARestartWithItsEpochsAndAssignments) {
  await_coordinator();
  const uuid id = create_topic_via_api(port(), "cg-restart", 2);
  hb_request j;
  j.group_id = "cg";
  j.member_id = "member-one";
  j.rebalance_timeout_ms = 30000;
  j.subscribed_topic_names = std::vector<std::string>{"cg-restart"};
  j.topic_partitions.emplace();
  auto first = beat(j);
  ASSERT_EQ(first.error_code, 0) << first.error_message.value_or("");
  ASSERT_EQ(first.member_epoch, 1);
  protocol::consumer_group_describe_request d;
  d.group_ids = {"cg"};
  auto before = call<protocol::consumer_group_describe_response>(0, d);
  ASSERT_TRUE(before);

  restart();
  await_coordinator();
  auto after = call<protocol::consumer_group_describe_response>(0, d);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->groups.at(0).error_code, 0);
  EXPECT_EQ(after->groups[0].group_epoch, before->groups[0].group_epoch);
  EXPECT_EQ(after->groups[0].assignment_epoch, before->groups[0].assignment_epoch);
  ASSERT_EQ(after->groups[0].members.size(), 1u);
  EXPECT_EQ(after->groups[0].members[0].member_epoch, 1);
  EXPECT_EQ(after->groups[0].members[0].assignment, before->groups[0].members[0].assignment);
  // The member carries on at its epoch, owning what it had.
  hb_request again;
  again.group_id = "cg";
  again.member_id = "member-one";
  again.member_epoch = 1;
  again.topic_partitions = std::vector<hb_request::TopicPartitions>{{id, {0, 1}, {}}};
  auto next = beat(again);
  EXPECT_EQ(next.error_code, 0) << next.error_message.value_or("");
  EXPECT_EQ(next.member_epoch, 1);
}

}  // namespace
}  // namespace samsa::broker::testing
