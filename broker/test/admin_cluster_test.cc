// DescribeCluster and DescribeTopicPartitions over real sockets.

#include <gtest/gtest.h>

#include <limits>

#include "broker/test/admin_fixture.h"
#include "protocol/generated/create_topics.h"
#include "protocol/generated/describe_cluster.h"
#include "protocol/generated/describe_topic_partitions.h"

namespace samsa::broker::testing {
namespace {

using protocol::error_code;

class AdminCluster : public admin_fixture {
 protected:
  void create(const std::string& name, int32_t partitions) {
    protocol::create_topics_request r;
    protocol::create_topics_request::CreatableTopic t;
    t.name = name;
    t.num_partitions = partitions;
    t.replication_factor = -1;
    r.topics.push_back(t);
    auto resp = call<protocol::create_topics_response>(7, r);
    ASSERT_TRUE(resp);
    ASSERT_EQ(resp->topics.at(0).error_code, 0);
  }
  std::optional<protocol::describe_topic_partitions_response> describe(
      std::vector<std::string> topics, int32_t limit,
      std::optional<std::pair<std::string, int32_t>> cursor = std::nullopt) {
    protocol::describe_topic_partitions_request r;
    for (auto& t : topics) r.topics.push_back({t, {}});
    r.response_partition_limit = limit;
    if (cursor) {
      r.cursor.emplace();
      r.cursor->topic_name = cursor->first;
      r.cursor->partition_index = cursor->second;
    }
    return call<protocol::describe_topic_partitions_response>(0, r);
  }
};

TEST_F(AdminCluster, DescribeClusterNamesThisBrokerAsControllerAtBothVersions) {
  for (int16_t v = 0; v <= 1; ++v) {
    protocol::describe_cluster_request r;
    r.include_cluster_authorized_operations = true;
    auto resp = call<protocol::describe_cluster_response>(v, r);
    ASSERT_TRUE(resp) << "v" << v;
    EXPECT_EQ(resp->error_code, 0);
    EXPECT_EQ(resp->cluster_id, the_broker().cluster_id());
    EXPECT_EQ(resp->controller_id, 1);
    ASSERT_EQ(resp->brokers.size(), 1u);
    EXPECT_EQ(resp->brokers[0].broker_id, 1);
    EXPECT_EQ(resp->brokers[0].host, "127.0.0.1");
    EXPECT_EQ(resp->brokers[0].port, port());
    EXPECT_EQ(resp->cluster_authorized_operations, 8096);
  }
}

TEST_F(AdminCluster, DescribeClusterRefusesControllerAndUnknownEndpointTypes) {
  // The endpoint type is a v1 field: v0 requests always ask a broker.
  protocol::describe_cluster_request r;
  r.endpoint_type = 2;
  auto v0 = call<protocol::describe_cluster_response>(0, r);
  ASSERT_TRUE(v0);
  EXPECT_EQ(v0->error_code, 0);
  auto v1 = call<protocol::describe_cluster_response>(1, r);
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->error_code, code(error_code::mismatched_endpoint_type));
  EXPECT_EQ(v1->error_message,
            "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER");
  r.endpoint_type = 9;
  auto unknown = call<protocol::describe_cluster_response>(1, r);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->error_code, code(error_code::unsupported_endpoint_type));
  EXPECT_EQ(unknown->error_message, "Unsupported endpoint type 9");
}

TEST_F(AdminCluster, DescribeTopicPartitionsPagesThroughEveryPartitionInNameOrder) {
  create("b", 3);
  create("a", 2);
  create("c", 4);
  std::vector<std::pair<std::string, int32_t>> seen;
  std::optional<std::pair<std::string, int32_t>> cursor;
  int pages = 0;
  do {
    auto r = describe({}, 2, cursor);
    ASSERT_TRUE(r);
    ++pages;
    for (const auto& t : r->topics) {
      EXPECT_EQ(t.error_code, 0);
      EXPECT_FALSE(t.topic_id.is_zero());
      for (const auto& p : t.partitions) {
        seen.emplace_back(*t.name, p.partition_index);
        EXPECT_EQ(p.leader_id, 1);
        EXPECT_EQ(p.isr_nodes, std::vector<int32_t>{1});
        EXPECT_TRUE(p.eligible_leader_replicas.has_value());
      }
    }
    cursor.reset();
    if (r->next_cursor) cursor.emplace(r->next_cursor->topic_name, r->next_cursor->partition_index);
    ASSERT_LT(pages, 20);
  } while (cursor);
  std::vector<std::pair<std::string, int32_t>> expected = {{"a", 0}, {"a", 1}, {"b", 0}, {"b", 1}, {"b", 2},
                                                           {"c", 0}, {"c", 1}, {"c", 2}, {"c", 3}};
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(pages, 5);
}

TEST_F(AdminCluster, DescribeTopicPartitionsReportsUnknownAndInvalidTopicsAndBadCursors) {
  create("known", 1);
  auto r = describe({"known", "unknown", "bad name"}, 100);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->topics.size(), 3u);
  // Sorted by name: "bad name" < "known" < "unknown".
  EXPECT_EQ(r->topics[0].error_code, code(error_code::invalid_topic_exception));
  EXPECT_EQ(r->topics[1].error_code, 0);
  EXPECT_EQ(r->topics[2].error_code, code(error_code::unknown_topic_or_partition));
  EXPECT_FALSE(r->next_cursor.has_value());

  auto missing_cursor_topic = describe({"known"}, 100, std::make_pair(std::string("other"), 0));
  ASSERT_TRUE(missing_cursor_topic);
  ASSERT_EQ(missing_cursor_topic->topics.size(), 1u);
  EXPECT_EQ(missing_cursor_topic->topics[0].error_code, code(error_code::invalid_request));
  auto negative = describe({"known"}, 100, std::make_pair(std::string("known"), -1));
  ASSERT_TRUE(negative);
  EXPECT_EQ(negative->topics.at(0).error_code, code(error_code::invalid_request));
}

}  // namespace
}  // namespace samsa::broker::testing
