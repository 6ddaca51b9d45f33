// Metadata against a running broker: the broker as clients must see it.

#include <gtest/gtest.h>

#include <limits>

#include "broker/test/broker_fixture.h"
#include "broker/test/wire_client.h"
#include "protocol/error_code.h"
#include "protocol/generated/metadata.h"

namespace samsa::broker::testing {
namespace {

using protocol::error_code;
using protocol::metadata_request;
using protocol::metadata_response;

class Metadata : public broker_fixture {};

metadata_request for_topics(std::initializer_list<std::string> names) {
  metadata_request r;
  r.topics.emplace();
  for (const auto& n : names) r.topics->push_back({{}, n, {}});
  return r;
}

TEST_F(Metadata, ListsThisBrokerWithItsListenerAtEveryVersion) {
  for (int16_t v = 0; v <= 12; ++v) {
    wire_client c(port());
    metadata_request req;
    if (v == 0) req.topics.emplace();  // v0 has no null topics; empty means all
    else req.topics.reset();
    ASSERT_TRUE(c.send(v, v, req));
    auto resp = c.read_response<metadata_response>(v, v);
    ASSERT_TRUE(resp) << "v" << v;
    ASSERT_EQ(resp->brokers.size(), 1u);
    EXPECT_EQ(resp->brokers[0].node_id, 1);
    EXPECT_EQ(resp->brokers[0].host, "127.0.0.1");
    EXPECT_EQ(resp->brokers[0].port, port());
    if (v >= 1) {
      EXPECT_EQ(resp->controller_id, 1);
    }
    if (v >= 2) {
      EXPECT_EQ(resp->cluster_id, the_broker().cluster_id());
    }
    EXPECT_TRUE(resp->topics.empty());
  }
}

TEST_F(Metadata, AnUnknownTopicIsUnknownTopicOrPartition) {
  wire_client c(port());
  ASSERT_TRUE(c.send(9, 1, for_topics({"no-such-topic"})));
  auto resp = c.read_response<metadata_response>(9, 1);
  ASSERT_TRUE(resp);
  ASSERT_EQ(resp->topics.size(), 1u);
  EXPECT_EQ(resp->topics[0].error_code, static_cast<int16_t>(error_code::unknown_topic_or_partition));
  EXPECT_EQ(resp->topics[0].name, "no-such-topic");
}

TEST_F(Metadata, AnInvalidTopicNameIsInvalidTopicException) {
  wire_client c(port());
  ASSERT_TRUE(c.send(9, 1, for_topics({"bad name!", "..", std::string(250, 'a')})));
  auto resp = c.read_response<metadata_response>(9, 1);
  ASSERT_TRUE(resp);
  ASSERT_EQ(resp->topics.size(), 3u);
  for (const auto& t : resp->topics)
    EXPECT_EQ(t.error_code, static_cast<int16_t>(error_code::invalid_topic_exception)) << *t.name;
}

TEST_F(Metadata, AnEmptyTopicListAfterVersionZeroMeansNoTopics) {
  wire_client c(port());
  metadata_request req;
  req.topics.emplace();
  ASSERT_TRUE(c.send(4, 1, req));
  auto resp = c.read_response<metadata_response>(4, 1);
  ASSERT_TRUE(resp);
  EXPECT_TRUE(resp->topics.empty());
  EXPECT_EQ(resp->brokers.size(), 1u);
}

TEST_F(Metadata, AnUnknownTopicIdIsUnknownTopicIdWithANullName) {
  wire_client c(port());
  metadata_request req;
  req.topics.emplace();
  uuid id;
  id.bytes[3] = 9;
  req.topics->push_back({id, std::nullopt, {}});
  req.topics->push_back({{}, std::string("ignored-when-ids-are-used"), {}});
  ASSERT_TRUE(c.send(12, 1, req));
  auto resp = c.read_response<metadata_response>(12, 1);
  ASSERT_TRUE(resp);
  ASSERT_EQ(resp->topics.size(), 1u);
  EXPECT_EQ(resp->topics[0].error_code, static_cast<int16_t>(error_code::unknown_topic_id));
  EXPECT_FALSE(resp->topics[0].name.has_value());
  EXPECT_EQ(resp->topics[0].topic_id, id);
}

TEST_F(Metadata, TopicIdsBeforeVersionTwelveAreAnInvalidRequest) {
  wire_client c(port());
  metadata_request req;
  req.topics.emplace();
  uuid id;
  id.bytes[0] = 1;
  req.topics->push_back({id, std::string("t"), {}});
  ASSERT_TRUE(c.send(10, 1, req));
  auto resp = c.read_response<metadata_response>(10, 1);
  ASSERT_TRUE(resp);
  ASSERT_EQ(resp->topics.size(), 1u);
  EXPECT_EQ(resp->topics[0].error_code, static_cast<int16_t>(error_code::invalid_request));
  // Kafka's generic error response: no brokers, no cluster id, controller -1.
  EXPECT_TRUE(resp->brokers.empty());
  EXPECT_FALSE(resp->cluster_id.has_value());
  EXPECT_EQ(resp->controller_id, -1);
}

TEST_F(Metadata, ANullNameWithoutAnyTopicIdFailsTheWholeRequestAsInKafka) {
  wire_client c(port());
  metadata_request req;
  req.topics.emplace();
  req.topics->push_back({{}, std::nullopt, {}});
  ASSERT_TRUE(c.send(12, 1, req));
  auto resp = c.read_response<metadata_response>(12, 1);
  ASSERT_TRUE(resp);
  ASSERT_EQ(resp->topics.size(), 1u);
  EXPECT_EQ(resp->topics[0].error_code, static_cast<int16_t>(error_code::unknown_server_error));
  EXPECT_EQ(resp->topics[0].name, "");
  EXPECT_TRUE(resp->brokers.empty());
}

TEST_F(Metadata, AuthorizedOperationsAreReportedOnlyWhenAskedFor) {
  wire_client c(port());
  metadata_request req = for_topics({"x"});
  ASSERT_TRUE(c.send(10, 1, req));
  auto plain = c.read_response<metadata_response>(10, 1);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->cluster_authorized_operations, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(plain->topics[0].topic_authorized_operations, std::numeric_limits<int32_t>::min());
  req.include_cluster_authorized_operations = true;
  req.include_topic_authorized_operations = true;
  ASSERT_TRUE(c.send(10, 2, req));
  auto asked = c.read_response<metadata_response>(10, 2);
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->cluster_authorized_operations, 8096);
  EXPECT_EQ(asked->topics[0].topic_authorized_operations, 3576);
}

}  // namespace
}  // namespace samsa::broker::testing
