// The group APIs over a real socket, version by version: what a client sees
// for FindCoordinator, the classic protocol, offsets and the admin APIs.

#include <gtest/gtest.h>

#include <thread>

#include "broker/test/data_topics_fixture.h"
#include "broker/test/wire_client.h"
#include "protocol/error_code.h"
#include "protocol/generated/delete_groups.h"
#include "protocol/generated/describe_groups.h"
#include "protocol/generated/find_coordinator.h"
#include "protocol/generated/heartbeat.h"
#include "protocol/generated/join_group.h"
#include "protocol/generated/leave_group.h"
#include "protocol/generated/list_groups.h"
#include "protocol/generated/offset_commit.h"
#include "protocol/generated/offset_fetch.h"
#include "protocol/generated/sync_group.h"

namespace samsa::broker::testing {
namespace {

using namespace std::chrono_literals;
using protocol::error_code;

error_code err(int16_t c) { return static_cast<error_code>(c); }

class GroupsWire : public data_fixture {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    return {{"offsets.topic.replication.factor", "1"},
            {"offsets.topic.num.partitions", "3"},
            {"group.initial.rebalance.delay.ms", "0"}};
  }

  template <typename Response, typename Request>
  Response call(int16_t version, const Request& request) {
    wire_client c(port());
    EXPECT_TRUE(c.send(version, 9, request));
    auto r = c.read_response<Response>(version, 9, 10s);
    EXPECT_TRUE(r) << "no answer to API " << Request::api_key << " v" << version;
    return r ? *r : Response{};
  }

  protocol::find_coordinator_response find_coordinator(int16_t version, const std::string& key) {
    protocol::find_coordinator_request r;
    r.key = key;
    r.coordinator_keys = {key};
    return call<protocol::find_coordinator_response>(version, r);
  }

  // FindCoordinator until the offsets topic exists and names a coordinator.
  void await_coordinator() {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (find_coordinator(3, "any").error_code == 0) return;
      std::this_thread::yield();
    }
    FAIL() << "no coordinator";
  }

  protocol::join_group_response join(int16_t version, const std::string& group, const std::string& member_id,
                                     int32_t session_timeout_ms = 10000) {
    protocol::join_group_request r;
    r.group_id = group;
    r.member_id = member_id;
    r.session_timeout_ms = session_timeout_ms;
    r.rebalance_timeout_ms = 10000;
    r.protocol_type = "consumer";
    r.protocols.push_back({"range", {0, 1}, {}});
    return call<protocol::join_group_response>(version, r);
  }
};

TEST_F(GroupsWire, FindCoordinatorCreatesTheOffsetsTopicThenNamesThisBroker) {
  auto first = find_coordinator(0, "g");
  EXPECT_EQ(err(first.error_code), error_code::coordinator_not_available);
  EXPECT_EQ(first.node_id, -1);
  await_coordinator();
  for (int16_t v = 0; v <= 3; ++v) {
    auto r = find_coordinator(v, "g");
    EXPECT_EQ(r.error_code, 0) << "v" << v;
    EXPECT_EQ(r.node_id, 1);
    EXPECT_EQ(r.host, "127.0.0.1");
    EXPECT_EQ(r.port, port());
    if (v >= 1) {
      EXPECT_EQ(r.error_message, "NONE");
    }
  }
  const topic_metadata* t = services().metadata->current()->find_topic("__consumer_offsets");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->partitions.size(), 3u);
  const auto* overrides = services().metadata->current()->topic_overrides("__consumer_offsets");
  ASSERT_NE(overrides, nullptr);
  EXPECT_EQ(overrides->get("cleanup.policy"), "compact");
}

TEST_F(GroupsWire, FindCoordinatorFromV4AnswersEveryKeyAndNoTransactionCoordinatorBeforeItsTopic) {
  await_coordinator();
  protocol::find_coordinator_request r;
  r.coordinator_keys = {"a", "b"};
  auto groups = call<protocol::find_coordinator_response>(4, r);
  ASSERT_EQ(groups.coordinators.size(), 2u);
  EXPECT_EQ(groups.coordinators[1].key, "b");
  EXPECT_EQ(groups.coordinators[1].error_code, 0);
  EXPECT_EQ(groups.coordinators[1].port, port());
  r.key_type = 1;  // __transaction_state cannot be created here (replication factor 3 on one broker)
  auto txn = call<protocol::find_coordinator_response>(4, r);
  EXPECT_EQ(err(txn.coordinators.at(0).error_code), error_code::coordinator_not_available);
  r.key_type = 2;  // share groups before v6
  EXPECT_EQ(err(call<protocol::find_coordinator_response>(5, r).coordinators.at(0).error_code),
            error_code::invalid_request);
  protocol::find_coordinator_request bad;
  bad.key = "g";
  bad.key_type = 9;
  EXPECT_EQ(err(call<protocol::find_coordinator_response>(3, bad).error_code), error_code::invalid_request);
}

TEST_F(GroupsWire, GroupRequestsBeforeTheOffsetsTopicExistsAreNotCoordinator) {
  EXPECT_EQ(err(join(5, "g", "").error_code), error_code::not_coordinator);
  protocol::heartbeat_request hb;
  hb.group_id = "g";
  EXPECT_EQ(err(call<protocol::heartbeat_response>(4, hb).error_code), error_code::not_coordinator);
}

TEST_F(GroupsWire, JoinGroupChecksTheGroupIdAndTheSessionTimeout) {
  await_coordinator();
  EXPECT_EQ(err(join(5, "", "").error_code), error_code::invalid_group_id);
  EXPECT_EQ(err(join(5, "g", "", 1000).error_code), error_code::invalid_session_timeout);
  EXPECT_EQ(err(join(5, "g", "", 1'800'001).error_code), error_code::invalid_session_timeout);
}

TEST_F(GroupsWire, AVersionZeroMemberJoinsSyncsHeartbeatsCommitsAndLeaves) {
  await_coordinator();
  create_topic("t", 2);
  auto j = join(0, "old", "");
  ASSERT_EQ(j.error_code, 0);
  EXPECT_EQ(j.generation_id, 1);
  EXPECT_EQ(j.leader, j.member_id);
  EXPECT_EQ(j.protocol_name, "range");
  ASSERT_EQ(j.members.size(), 1u);

  protocol::sync_group_request s;
  s.group_id = "old";
  s.member_id = j.member_id;
  s.generation_id = 1;
  s.assignments.push_back({j.member_id, {7, 7}, {}});
  auto synced = call<protocol::sync_group_response>(0, s);
  EXPECT_EQ(synced.error_code, 0);
  EXPECT_EQ(synced.assignment, std::vector<uint8_t>({7, 7}));

  protocol::heartbeat_request hb;
  hb.group_id = "old";
  hb.member_id = j.member_id;
  hb.generation_id = 1;
  EXPECT_EQ(call<protocol::heartbeat_response>(0, hb).error_code, 0);
  hb.generation_id = 2;
  EXPECT_EQ(err(call<protocol::heartbeat_response>(0, hb).error_code), error_code::illegal_generation);

  protocol::offset_commit_request oc;
  oc.group_id = "old";
  oc.member_id = j.member_id;
  oc.generation_id_or_member_epoch = 1;
  oc.topics.emplace_back().name = "t";
  oc.topics[0].partitions.push_back({1, 42, -1, -1, std::string("meta"), {}});
  oc.topics.emplace_back().name = "missing";
  oc.topics[1].partitions.push_back({0, 1, -1, -1, std::string(), {}});
  auto committed = call<protocol::offset_commit_response>(2, oc);
  // Kafka's order: what KafkaApis answers itself (unknown topics) first, then the coordinator's.
  ASSERT_EQ(committed.topics.size(), 2u);
  EXPECT_EQ(committed.topics[0].name, "missing");
  EXPECT_EQ(err(committed.topics[0].partitions.at(0).error_code), error_code::unknown_topic_or_partition);
  EXPECT_EQ(committed.topics[1].name, "t");
  EXPECT_EQ(committed.topics[1].partitions.at(0).error_code, 0);

  protocol::offset_fetch_request of;
  of.group_id = "old";
  of.topics = std::vector<protocol::offset_fetch_request::OffsetFetchRequestTopic>{{"t", {0, 1}, {}}};
  auto fetched = call<protocol::offset_fetch_response>(1, of);
  ASSERT_EQ(fetched.topics.size(), 1u);
  EXPECT_EQ(fetched.topics[0].partitions.at(0).committed_offset, -1);
  EXPECT_EQ(fetched.topics[0].partitions.at(1).committed_offset, 42);
  EXPECT_EQ(fetched.topics[0].partitions.at(1).metadata, "meta");

  protocol::leave_group_request lg;
  lg.group_id = "old";
  lg.member_id = j.member_id;
  EXPECT_EQ(call<protocol::leave_group_response>(0, lg).error_code, 0);
  EXPECT_EQ(err(call<protocol::leave_group_response>(0, lg).error_code), error_code::unknown_member_id);
  hb.generation_id = 1;
  EXPECT_EQ(err(call<protocol::heartbeat_response>(0, hb).error_code), error_code::unknown_member_id);
}

TEST_F(GroupsWire, BatchedOffsetFetchListsEveryCommittedOffsetOfEachGroup) {
  await_coordinator();
  create_topic("t", 2);
  protocol::offset_commit_request oc;
  oc.group_id = "simple";
  oc.topics.emplace_back().name = "t";
  oc.topics[0].partitions.push_back({0, 5, 3, -1, std::string(), {}});
  ASSERT_EQ(call<protocol::offset_commit_response>(9, oc).topics.at(0).partitions.at(0).error_code, 0);

  protocol::offset_fetch_request of;
  of.groups.emplace_back().group_id = "simple";
  of.groups[0].topics = std::nullopt;  // every partition
  of.groups.emplace_back().group_id = "unknown";
  auto r = call<protocol::offset_fetch_response>(8, of);
  ASSERT_EQ(r.groups.size(), 2u);
  ASSERT_EQ(r.groups[0].topics.size(), 1u);
  EXPECT_EQ(r.groups[0].topics[0].partitions.at(0).committed_offset, 5);
  EXPECT_EQ(r.groups[0].topics[0].partitions.at(0).committed_leader_epoch, 3);
  EXPECT_EQ(r.groups[1].error_code, 0);
  EXPECT_TRUE(r.groups[1].topics.empty());
}

TEST_F(GroupsWire, ListDescribeAndDeleteGroupsSeeTheCoordinatorsGroups) {
  await_coordinator();
  auto j = join(9, "live", "");
  ASSERT_EQ(err(j.error_code), error_code::member_id_required);
  auto joined = join(9, "live", j.member_id);
  ASSERT_EQ(joined.error_code, 0);

  protocol::list_groups_request lr;
  auto all = call<protocol::list_groups_response>(5, lr);
  ASSERT_EQ(all.groups.size(), 1u);
  EXPECT_EQ(all.groups[0].group_state, "CompletingRebalance");
  EXPECT_EQ(all.groups[0].group_type, "classic");
  lr.states_filter = {"stable"};
  EXPECT_TRUE(call<protocol::list_groups_response>(4, lr).groups.empty());

  protocol::describe_groups_request dr;
  dr.groups = {"live", "ghost"};
  dr.include_authorized_operations = true;
  auto d = call<protocol::describe_groups_response>(5, dr);
  ASSERT_EQ(d.groups.size(), 2u);
  EXPECT_EQ(d.groups[0].group_state, "CompletingRebalance");
  ASSERT_EQ(d.groups[0].members.size(), 1u);
  EXPECT_EQ(d.groups[0].members[0].client_id, "samsa-test");
  EXPECT_EQ(d.groups[0].members[0].client_host, "/127.0.0.1");
  EXPECT_EQ(d.groups[0].authorized_operations, 3400);
  EXPECT_EQ(d.groups[1].group_state, "Dead");

  protocol::delete_groups_request del;
  del.groups_names = {"live", "ghost"};
  auto deleted = call<protocol::delete_groups_response>(2, del);
  ASSERT_EQ(deleted.results.size(), 2u);
  EXPECT_EQ(err(deleted.results[0].error_code), error_code::non_empty_group);
  EXPECT_EQ(err(deleted.results[1].error_code), error_code::group_id_not_found);
}

class GroupsWireSlowRebalance : public GroupsWire {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    auto c = GroupsWire::extra_config();
    c.back().second = "600000";  // group.initial.rebalance.delay.ms: the first join waits
    return c;
  }
};

TEST_F(GroupsWireSlowRebalance, AGracefulShutdownAnswersAParkedJoinWithNotCoordinatorAtOnce) {
  await_coordinator();
  protocol::join_group_request r;
  r.group_id = "parked";
  r.session_timeout_ms = 10000;
  r.rebalance_timeout_ms = 600000;
  r.protocol_type = "consumer";
  r.protocols.push_back({"range", {}, {}});
  wire_client c(port());
  ASSERT_TRUE(c.send(3, 5, r));  // v3: joins without MEMBER_ID_REQUIRED, then waits
  EXPECT_FALSE(c.read_response<protocol::join_group_response>(3, 5, 200ms)) << "the join should be parked";
  const auto start = std::chrono::steady_clock::now();
  std::thread stopper([&] { the_broker().shutdown(30s); });
  auto answer = c.read_response<protocol::join_group_response>(3, 5, 10s);
  stopper.join();
  ASSERT_TRUE(answer);
  EXPECT_EQ(err(answer->error_code), error_code::not_coordinator);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

}  // namespace
}  // namespace samsa::broker::testing
