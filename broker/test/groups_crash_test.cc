// Committed offsets survive a crash: a group commits, the broker process is
// SIGKILLed and restarted on the same port, and the group resumes from exactly
// the committed offsets (they were durable in __consumer_offsets before the
// commit was acknowledged, and are replayed at startup).

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include "broker/test/broker_fixture.h"
#include "broker/test/groups_rdkafka.h"
#include "broker/test/process.h"

namespace samsa::broker::testing {
namespace {

using namespace std::chrono_literals;

class GroupsCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = free_loopback_port();
    props_ = dir_.path() / "server.properties";
    std::ofstream(props_) << "listeners=PLAINTEXT://127.0.0.1:" << port_ << "\nlog.dirs="
                          << (dir_.path() / "data").string()
                          << "\nsamsa.shards=2\noffsets.topic.replication.factor=1\n"
                             "group.initial.rebalance.delay.ms=200\nnum.partitions=4\n";
  }

  std::unique_ptr<child_process> start_broker(int round) {
    auto log = dir_.path() / ("broker-" + std::to_string(round) + ".log");
    auto p = std::make_unique<child_process>(std::vector<std::string>{SAMSA_BINARY, props_.string()}, log);
    EXPECT_TRUE(p->wait_for_output("started", 30s)) << p->output();
    return p;
  }

  std::string bootstrap() const { return "127.0.0.1:" + std::to_string(port_); }

  temp_dir dir_;
  uint16_t port_ = 0;
  std::filesystem::path props_;
};

TEST_F(GroupsCrash, AfterASigkillTheGroupResumesFromExactlyTheCommittedOffsets) {
  auto broker = start_broker(0);
  constexpr int64_t kRecords = 800;
  // The topic is auto-created with num.partitions=4 by the producer's metadata request.
  produce_and_flush(bootstrap(), "crashgroup", "c", kRecords, 4);

  std::map<int32_t, int64_t> committed_before;
  int64_t read_before = 0;
  {
    group_consumer c(bootstrap(), "survivors", "crashgroup");
    ASSERT_TRUE(poll_until({&c}, 60s, [&] { return c.seen().size() >= 300; }));
    ASSERT_EQ(c.commit(), RD_KAFKA_RESP_ERR_NO_ERROR);
    committed_before = c.committed("crashgroup", 4);
    for (const auto& [p, o] : committed_before)
      if (o >= 0) read_before += o;
    // The broker dies with the member still in the group: no LeaveGroup.
    broker->signal(SIGKILL);
    broker->wait(10s);
    broker = start_broker(1);
    // The surviving client sees the same committed offsets after the restart.
    EXPECT_EQ(c.committed("crashgroup", 4), committed_before);
    c.close();
  }

  group_consumer again(bootstrap(), "survivors", "crashgroup");
  EXPECT_EQ(again.committed("crashgroup", 4), committed_before);
  ASSERT_TRUE(poll_until({&again}, 60s, [&] {
    return static_cast<int64_t>(again.seen().size()) >= kRecords - read_before;
  })) << again.seen().size() << " of " << kRecords - read_before;
  std::map<int32_t, int64_t> first;
  for (const auto& [p, o] : again.seen())
    if (!first.contains(p)) first[p] = o;
  for (int32_t p = 0; p < 4; ++p) {
    const int64_t want = committed_before[p] >= 0 ? committed_before[p] : 0;
    if (want < kRecords / 4) {
      ASSERT_TRUE(first.contains(p)) << "partition " << p;
      EXPECT_EQ(first[p], want) << "partition " << p;
    } else {
      EXPECT_FALSE(first.contains(p)) << "partition " << p << " was read to its end before the crash";
    }
  }
  EXPECT_EQ(static_cast<int64_t>(again.seen().size()), kRecords - read_before);
}

}  // namespace
}  // namespace samsa::broker::testing
