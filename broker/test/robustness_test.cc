// Bad clients do not hurt good ones: malformed frames, lying lengths, huge
// array counts, slow clients each get a closed connection (or Kafka's error),
// and the broker keeps answering everyone else.

#include <gtest/gtest.h>

#include <thread>

#include "broker/test/broker_fixture.h"
#include "broker/test/wire_client.h"
#include "common/endian.h"
#include "protocol/generated/api_versions.h"
#include "protocol/generated/metadata.h"

namespace samsa::broker::testing {
namespace {

class Robustness : public broker_fixture {
 protected:
  // A well-behaved client still gets prompt answers.
  void expect_broker_serves_others() {
    wire_client good(port());
    ASSERT_TRUE(good.send(1, 77, protocol::metadata_request{}));
    EXPECT_TRUE(good.read_response<protocol::metadata_response>(1, 77, 5000ms));
  }
};

TEST_F(Robustness, ANegativeFrameSizeClosesOnlyThatConnection) {
  wire_client bad(port());
  std::vector<uint8_t> size = {0xff, 0xff, 0xff, 0xfe};
  ASSERT_TRUE(bad.send_raw(size));
  EXPECT_TRUE(bad.wait_closed());
  expect_broker_serves_others();
}

TEST_F(Robustness, AFrameLargerThanSocketRequestMaxBytesIsRefused) {
  wire_client bad(port());
  uint8_t size[4];
  store_be<int32_t>(size, 104857600 + 1);
  ASSERT_TRUE(bad.send_raw(size));
  EXPECT_TRUE(bad.wait_closed());
  expect_broker_serves_others();
}

TEST_F(Robustness, AClientThatPromisesALargeFrameAndStallsDoesNotBlockOthers) {
  wire_client stalled(port());
  uint8_t size[4];
  store_be<int32_t>(size, 50 * 1024 * 1024);
  ASSERT_TRUE(stalled.send_raw(size));
  std::vector<uint8_t> some(1000, 0x41);
  ASSERT_TRUE(stalled.send_raw(some));
  expect_broker_serves_others();
}

TEST_F(Robustness, ASlowClientDribblingARequestIsAnsweredAndOthersAreNotDelayed) {
  wire_client slow(port());
  auto frame = wire_client::encode_request(1, 5, protocol::metadata_request{});
  std::vector<uint8_t> framed(4);
  store_be<int32_t>(framed.data(), static_cast<int32_t>(frame.size()));
  framed.insert(framed.end(), frame.begin(), frame.end());
  for (size_t i = 0; i + 1 < framed.size(); ++i) {
    ASSERT_TRUE(slow.send_raw(std::span<const uint8_t>(&framed[i], 1)));
    if (i % 4 == 0) expect_broker_serves_others();
  }
  ASSERT_TRUE(slow.send_raw(std::span<const uint8_t>(&framed.back(), 1)));
  EXPECT_TRUE(slow.read_response<protocol::metadata_response>(1, 5));
}

TEST_F(Robustness, AHugeArrayCountInABodyClosesTheConnectionWithoutAllocatingIt) {
  wire_client bad(port());
  // Metadata v1 header, then a topics array claiming 2^31-1 entries.
  std::vector<uint8_t> frame = {0, 3, 0, 1, 0, 0, 0, 9, 0, 1, 'x', 0x7f, 0xff, 0xff, 0xff, 0, 1, 'a'};
  ASSERT_TRUE(bad.send_frame(frame));
  EXPECT_TRUE(bad.wait_closed());
  expect_broker_serves_others();
}

TEST_F(Robustness, ALyingStringLengthClosesTheConnection) {
  wire_client bad(port());
  std::vector<uint8_t> frame = {0, 3, 0, 1, 0, 0, 0, 9, 0x7f, 0xff, 'x'};  // client id claims 32767 bytes
  ASSERT_TRUE(bad.send_frame(frame));
  EXPECT_TRUE(bad.wait_closed());
  expect_broker_serves_others();
}

TEST_F(Robustness, ManyMisbehavingClientsAtOnceLeaveTheBrokerServing) {
  std::vector<std::unique_ptr<wire_client>> bad;
  for (int i = 0; i < 50; ++i) {
    bad.push_back(std::make_unique<wire_client>(port()));
    std::vector<uint8_t> junk = {0, 0, 0, 6, static_cast<uint8_t>(i), 0x99, 0, 0, 0, 1};
    ASSERT_TRUE(bad.back()->send_raw(junk));
  }
  for (auto& c : bad) EXPECT_TRUE(c->wait_closed());
  expect_broker_serves_others();
}

TEST_F(Robustness, AClientThatNeverReadsItsResponsesDoesNotStallOthers) {
  wire_client greedy(port());
  // Pipeline many requests and read nothing: the broker's buffers fill, its
  // reads stop for this connection, and other clients are unaffected.
  for (int32_t i = 0; i < 2000; ++i) {
    if (!greedy.send(1, i, protocol::metadata_request{})) break;
  }
  expect_broker_serves_others();
}

}  // namespace
}  // namespace samsa::broker::testing
