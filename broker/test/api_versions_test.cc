// ApiVersions against a running broker, over a real socket.

#include <gtest/gtest.h>

#include "broker/handlers/api_versions.h"
#include "broker/handlers/handler_table.h"
#include "broker/test/broker_fixture.h"
#include "broker/test/wire_client.h"
#include "protocol/error_code.h"
#include "protocol/generated/api_registry.h"
#include "protocol/generated/api_versions.h"

namespace samsa::broker::testing {
namespace {

using protocol::api_versions_request;
using protocol::api_versions_response;
using protocol::error_code;

class ApiVersions : public broker_fixture {};

api_versions_request valid_request() {
  api_versions_request r;
  r.client_software_name = "samsa-test";
  r.client_software_version = "1.0";
  return r;
}

TEST_F(ApiVersions, EveryVersionFromZeroToFourIsAnsweredWithTheHandlerTable) {
  for (int16_t v = 0; v <= 4; ++v) {
    wire_client c(port());
    ASSERT_TRUE(c.send(v, 100 + v, valid_request()));
    auto resp = c.read_response<api_versions_response>(v, 100 + v);
    ASSERT_TRUE(resp) << "v" << v;
    EXPECT_EQ(resp->error_code, 0);
    ASSERT_EQ(resp->api_keys.size(), all_handlers().size());
    for (size_t i = 0; i < resp->api_keys.size(); ++i) {
      EXPECT_EQ(resp->api_keys[i].api_key, all_handlers()[i].api_key);
      EXPECT_EQ(resp->api_keys[i].min_version, all_handlers()[i].advertised_min_version);
      EXPECT_EQ(resp->api_keys[i].max_version, all_handlers()[i].max_version);
    }
  }
}

TEST_F(ApiVersions, AdvertisesMetadataVersionAsAFeatureFromVersionThree) {
  wire_client c(port());
  ASSERT_TRUE(c.send(3, 1, valid_request()));
  auto resp = c.read_response<api_versions_response>(3, 1);
  ASSERT_TRUE(resp);
  // v3 leaves out supported features whose minimum is 0 (transaction.version):
  // a minimum of 0 breaks Java clients before 3.9 (KAFKA-17492).
  ASSERT_EQ(resp->supported_features.size(), 1u);
  EXPECT_EQ(resp->supported_features[0].name, "metadata.version");
  EXPECT_GE(resp->supported_features[0].min_version, 1);
  ASSERT_EQ(resp->finalized_features.size(), 2u);
  EXPECT_EQ(resp->finalized_features[0].name, "metadata.version");
  EXPECT_EQ(resp->finalized_features[0].max_version_level, resp->supported_features[0].max_version);
  EXPECT_GE(resp->finalized_features_epoch, 0);
}

TEST_F(ApiVersions, FinalizesTransactionVersionTwoAsANewKafkaFourClusterDoes) {
  for (int16_t v = 3; v <= 4; ++v) {
    wire_client c(port());
    ASSERT_TRUE(c.send(v, 2, valid_request()));
    auto resp = c.read_response<api_versions_response>(v, 2);
    ASSERT_TRUE(resp);
    bool finalized = false;
    for (const auto& f : resp->finalized_features) {
      if (f.name != "transaction.version") continue;
      finalized = true;
      EXPECT_EQ(f.min_version_level, 2);
      EXPECT_EQ(f.max_version_level, 2);
    }
    EXPECT_TRUE(finalized) << "v" << v;
    bool supported = false;
    for (const auto& f : resp->supported_features) {
      if (f.name != "transaction.version") continue;
      supported = true;
      EXPECT_EQ(f.min_version, 0);
      EXPECT_EQ(f.max_version, 2);
    }
    EXPECT_EQ(supported, v >= 4) << "v" << v;
  }
}

TEST_F(ApiVersions, ATooNewVersionGetsAVersionZeroUnsupportedVersionAnswer) {
  wire_client c(port());
  // A v9 request whose body we cannot know: only the header matters.
  std::vector<uint8_t> frame = {0, 18, 0, 9, 0, 0, 0, 42, 0, 1, 'x', 0, 0xde, 0xad};
  ASSERT_TRUE(c.send_frame(frame));
  auto resp = c.read_frame();
  ASSERT_TRUE(resp);
  // correlation id, error 35, one entry: ApiVersions 0..4 (Kafka's exact bytes).
  std::vector<uint8_t> want = {0, 0, 0, 42, 0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 4};
  EXPECT_EQ(*resp, want);
}

TEST_F(ApiVersions, AnInvalidClientSoftwareNameIsAnInvalidRequest) {
  wire_client c(port());
  api_versions_request req = valid_request();
  req.client_software_name = "-bad name";
  ASSERT_TRUE(c.send(3, 7, req));
  auto frame = c.read_frame();
  ASSERT_TRUE(frame);
  // Kafka's bytes: correlation id, error 42, empty compact array, throttle 0, no tags.
  std::vector<uint8_t> want = {0, 0, 0, 7, 0, 42, 1, 0, 0, 0, 0, 0};
  EXPECT_EQ(*frame, want);
}

TEST_F(ApiVersions, ClientSoftwareStringsFollowKafkasPattern) {
  EXPECT_TRUE(is_valid_client_software_string("librdkafka"));
  EXPECT_TRUE(is_valid_client_software_string("2.0.2"));
  EXPECT_TRUE(is_valid_client_software_string("a"));
  EXPECT_TRUE(is_valid_client_software_string("apache-kafka-java"));
  EXPECT_FALSE(is_valid_client_software_string(""));
  EXPECT_FALSE(is_valid_client_software_string("-a"));
  EXPECT_FALSE(is_valid_client_software_string("a."));
  EXPECT_FALSE(is_valid_client_software_string("a b"));
}

TEST(HandlerTable, NeverServesAVersionTheSchemaDoesNotKnow) {
  for (const auto& h : all_handlers()) {
    const auto* schema = protocol::find_api_schema(h.api_key);
    ASSERT_NE(schema, nullptr) << h.api_key;
    EXPECT_GE(h.min_version, schema->min_version) << schema->name;
    EXPECT_LE(h.max_version, schema->max_version) << schema->name;
    EXPECT_LE(h.advertised_min_version, h.min_version) << schema->name;
    EXPECT_TRUE(schema->broker_listener) << schema->name;
  }
}

TEST(HandlerTable, AdvertisesVersionZeroWhereOldLibrdkafkaNeedsTheOverlap) {
  // librdkafka < 2.12 enables features only when the advertised range overlaps
  // v0 (NOTES.md): Produce, FindCoordinator, InitProducerId, SaslHandshake,
  // SaslAuthenticate, ApiVersions.
  for (int16_t key : {protocol::api_keys::produce, protocol::api_keys::find_coordinator,
                      protocol::api_keys::init_producer_id, protocol::api_keys::sasl_handshake,
                      protocol::api_keys::sasl_authenticate, protocol::api_keys::api_versions}) {
    if (const api_handler* h = find_handler(key)) {
      EXPECT_EQ(h->advertised_min_version, 0) << key;
    }
  }
}

}  // namespace
}  // namespace samsa::broker::testing
