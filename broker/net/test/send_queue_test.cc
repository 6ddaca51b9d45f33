#include "broker/net/send_queue.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "broker/net/test/test_sources.h"
#include "common/endian.h"

namespace samsa::broker::net {
namespace {

using testing::file_source;
using testing::memory_source;
using testing::message_of;
using testing::pattern;
using testing::temp_file;

class SendQueueTest : public ::testing::Test {
 protected:
  SendQueueTest() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
    writer_ = fds[0];
    reader_ = fds[1];
  }
  ~SendQueueTest() override {
    ::close(writer_);
    ::close(reader_);
  }

  // Reads whatever is available now.
  std::vector<uint8_t> read_available() {
    std::vector<uint8_t> out;
    uint8_t buf[65536];
    for (;;) {
      ssize_t n = ::read(reader_, buf, sizeof buf);
      if (n <= 0) break;
      out.insert(out.end(), buf, buf + n);
    }
    return out;
  }

  static std::vector<uint8_t> framed(const std::vector<uint8_t>& body) {
    std::vector<uint8_t> out(4);
    store_be<int32_t>(out.data(), static_cast<int32_t>(body.size()));
    out.insert(out.end(), body.begin(), body.end());
    return out;
  }

  int writer_ = -1;
  int reader_ = -1;
};

TEST_F(SendQueueTest, WritesSeveralResponsesAsSizePrefixedFramesInOrder) {
  send_queue q;
  ASSERT_TRUE(q.push(7, message_of({1, 2, 3})));
  ASSERT_TRUE(q.push(8, message_of({})));
  ASSERT_TRUE(q.push(9, message_of({4})));
  std::vector<uint64_t> sent;
  auto result = q.write(writer_, sent);
  EXPECT_EQ(result.what, send_queue::status::drained);
  EXPECT_EQ(result.bytes, 3u + 4 + 0 + 4 + 1 + 4);
  EXPECT_EQ(sent, (std::vector<uint64_t>{7, 8, 9}));
  EXPECT_TRUE(q.empty());
  std::vector<uint8_t> expected = framed({1, 2, 3});
  for (auto part : {framed({}), framed({4})}) expected.insert(expected.end(), part.begin(), part.end());
  EXPECT_EQ(read_available(), expected);
}

TEST_F(SendQueueTest, SplicesFileAndMemorySourcesBetweenTheBufferPieces) {
  auto contents = pattern(10000, 3);
  auto file = std::make_shared<temp_file>(contents);
  protocol::encoded_message m = message_of({0xAA, 0xBB, 0xCC, 0xDD});
  m.splices.push_back({1, std::make_shared<file_source>(file, 100, 5000)});
  m.splices.push_back({3, std::make_shared<memory_source>(std::vector<uint8_t>{1, 2, 3})});
  m.splices.push_back({3, std::make_shared<file_source>(file, 0, 10)});
  m.splices.push_back({4, std::make_shared<file_source>(file, 9000, 1000)});
  const auto flat = m.flatten();
  send_queue q;
  ASSERT_TRUE(q.push(1, std::move(m)));
  std::vector<uint64_t> sent;
  std::vector<uint8_t> received;
  for (int round = 0; round < 1000 && !q.empty(); ++round) {
    auto result = q.write(writer_, sent);
    ASSERT_NE(result.what, send_queue::status::failed) << result.error;
    auto got = read_available();
    received.insert(received.end(), got.begin(), got.end());
  }
  auto got = read_available();
  received.insert(received.end(), got.begin(), got.end());
  EXPECT_EQ(received, framed(flat));
  EXPECT_EQ(sent, std::vector<uint64_t>{1});
}

TEST_F(SendQueueTest, StopsWhenTheSocketWouldBlockAndResumesWhereItStopped) {
  int small = 4096;
  ::setsockopt(writer_, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  const auto body = pattern(1 << 20, 9);
  auto file = std::make_shared<temp_file>(pattern(1 << 20, 5));
  protocol::encoded_message m = message_of(body);
  m.splices.push_back({body.size() / 2, std::make_shared<file_source>(file, 0, 1 << 20)});
  const auto flat = m.flatten();
  send_queue q;
  ASSERT_TRUE(q.push(3, std::move(m)));
  std::vector<uint64_t> sent;
  auto first = q.write(writer_, sent);
  EXPECT_EQ(first.what, send_queue::status::would_block);
  EXPECT_TRUE(sent.empty());
  std::vector<uint8_t> received;
  for (int round = 0; round < 100000 && !q.empty(); ++round) {
    auto got = read_available();
    received.insert(received.end(), got.begin(), got.end());
    auto result = q.write(writer_, sent);
    ASSERT_NE(result.what, send_queue::status::failed) << result.error;
  }
  auto got = read_available();
  received.insert(received.end(), got.begin(), got.end());
  EXPECT_EQ(sent, std::vector<uint64_t>{3});
  EXPECT_EQ(received, framed(flat));
}

TEST_F(SendQueueTest, ReportsAFailureWhenThePeerHasGone) {
  ::shutdown(writer_, SHUT_WR);
  send_queue q;
  ASSERT_TRUE(q.push(1, message_of({1})));
  std::vector<uint64_t> sent;
  auto result = q.write(writer_, sent);
  EXPECT_EQ(result.what, send_queue::status::failed);
  EXPECT_EQ(result.error, EPIPE);
}

TEST_F(SendQueueTest, FailsWhenAFileIsShorterThanItsSlice) {
  auto file = std::make_shared<temp_file>(pattern(10, 1));
  protocol::encoded_message m;
  m.splices.push_back({0, std::make_shared<file_source>(file, 5, 100)});
  send_queue q;
  ASSERT_TRUE(q.push(1, std::move(m)));
  std::vector<uint64_t> sent;
  auto result = q.write(writer_, sent);
  EXPECT_EQ(result.what, send_queue::status::failed);
  EXPECT_EQ(result.error, EIO);
}

}  // namespace
}  // namespace samsa::broker::net
