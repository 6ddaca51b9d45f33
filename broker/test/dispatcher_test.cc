// What the dispatcher does with requests it cannot serve, over a real socket:
// Kafka closes the connection without an answer.

#include <gtest/gtest.h>

#include "broker/test/broker_fixture.h"
#include "broker/test/wire_client.h"
#include "protocol/generated/api_versions.h"
#include "protocol/generated/metadata.h"

namespace samsa::broker::testing {
namespace {

class Dispatcher : public broker_fixture {};

TEST_F(Dispatcher, AnUnknownApiKeyClosesTheConnection) {
  wire_client c(port());
  std::vector<uint8_t> frame = {0x03, 0xE7, 0, 0, 0, 0, 0, 1, 0xff, 0xff};  // key 999
  ASSERT_TRUE(c.send_frame(frame));
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(Dispatcher, AnUnservedVersionClosesTheConnection) {
  wire_client c(port());
  ASSERT_TRUE(c.send(13, 1, protocol::metadata_request{}));  // Metadata v13 is beyond what we serve
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(Dispatcher, AnApiWithoutAHandlerClosesTheConnection) {
  wire_client c(port());
  // Produce v9 header with an empty body: not served by this broker yet.
  std::vector<uint8_t> frame = {0, 0, 0, 9, 0, 0, 0, 1, 0xff, 0xff, 0};
  ASSERT_TRUE(c.send_frame(frame));
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(Dispatcher, AHeaderThatDoesNotParseClosesTheConnection) {
  wire_client c(port());
  std::vector<uint8_t> frame = {0, 3, 0, 1, 0, 0};
  ASSERT_TRUE(c.send_frame(frame));
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(Dispatcher, ABodyThatDoesNotParseClosesTheConnection) {
  wire_client c(port());
  auto frame = wire_client::encode_request(1, 5, protocol::metadata_request{});
  // The v1 body is the topics array count (-1, null): make it claim 2^31-1 topics.
  frame[frame.size() - 4] = 0x7f;
  ASSERT_TRUE(c.send_frame(frame));
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(Dispatcher, BytesAfterACompleteBodyAreIgnoredAsKafkaDoes) {
  wire_client c(port());
  auto frame = wire_client::encode_request(1, 5, protocol::metadata_request{});
  frame.push_back(0x77);
  ASSERT_TRUE(c.send_frame(frame));
  EXPECT_TRUE(c.read_response<protocol::metadata_response>(1, 5));
}

TEST_F(Dispatcher, ANegativeApiVersionsVersionGetsTheVersionZeroUnsupportedAnswer) {
  wire_client c(port());
  std::vector<uint8_t> frame = {0, 18, 0xff, 0xff, 0, 0, 0, 3, 0, 1, 'x'};
  ASSERT_TRUE(c.send_frame(frame));
  auto resp = c.read_frame();
  ASSERT_TRUE(resp);
  std::vector<uint8_t> want = {0, 0, 0, 3, 0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 4};
  EXPECT_EQ(*resp, want);
}

TEST_F(Dispatcher, ResponsesToPipelinedRequestsComeBackInOrder) {
  wire_client c(port());
  for (int32_t i = 0; i < 200; ++i) {
    if (i % 2) {
      ASSERT_TRUE(c.send(1, i, protocol::metadata_request{}));
    } else {
      ASSERT_TRUE(c.send(2, i, protocol::api_versions_request{}));
    }
  }
  for (int32_t i = 0; i < 200; ++i) {
    if (i % 2) {
      ASSERT_TRUE(c.read_response<protocol::metadata_response>(1, i)) << i;
    } else {
      ASSERT_TRUE(c.read_response<protocol::api_versions_response>(2, i)) << i;
    }
  }
}

}  // namespace
}  // namespace samsa::broker::testing
