// Several groups survive a broker SIGKILL: four groups of real consumers
// (librdkafka KafkaConsumer, one of them with two members) read different
// amounts of one topic and commit, some groups twice so the later commit must
// win; the broker process is SIGKILLed with every member still in its group,
// restarted on the same port, and each group resumes from exactly the offsets
// it had committed last: the offsets the broker returns are the same, and a
// new consumer of each group reads exactly the records after them.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <csignal>
#include <fstream>

#include "broker/test/broker_fixture.h"
#include "broker/test/data_topics_fixture.h"
#include "broker/test/groups_rdkafka.h"
#include "broker/test/process.h"

namespace samsa::broker::testing {
namespace {

using namespace std::chrono_literals;

constexpr int32_t kPartitions = 4;
constexpr int64_t kRecords = 1200;  // 300 per partition
const std::string kTopic = "ledger";

// A group in the test: its members, how far they read before each commit.
struct group_plan {
  std::string id;
  int members;
  std::vector<size_t> commit_after;  // commit when the members together have read this many
};

class GroupsMembershipCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = free_loopback_port();
    props_ = dir_.path() / "server.properties";
    std::ofstream(props_) << "listeners=PLAINTEXT://127.0.0.1:" << port_ << "\nlog.dirs="
                          << (dir_.path() / "data").string()
                          << "\nsamsa.shards=2\noffsets.topic.replication.factor=1\n"
                             "offsets.topic.num.partitions=6\ngroup.initial.rebalance.delay.ms=200\n";
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

size_t total_seen(const std::vector<std::unique_ptr<group_consumer>>& members) {
  size_t n = 0;
  for (const auto& m : members) n += m->seen().size();
  return n;
}

std::vector<group_consumer*> raw(const std::vector<std::unique_ptr<group_consumer>>& members) {
  std::vector<group_consumer*> out;
  for (const auto& m : members) out.push_back(m.get());
  return out;
}

TEST_F(GroupsMembershipCrash, AfterABrokerSigkillEveryGroupResumesFromExactlyItsLastCommittedOffsets) {
  auto broker = start_broker(0);
  create_topic_via_api(port_, kTopic, kPartitions);
  produce_and_flush(bootstrap(), kTopic, "l", kRecords, kPartitions);

  const std::vector<group_plan> plans = {
      {"early", 1, {100}},
      {"twice", 1, {150, 500}},          // the second commit must win after the restart
      {"pair", 2, {200, 700}},           // two members, each committing its own partitions
      {"finished", 1, {kRecords}},       // read everything
  };
  std::map<std::string, std::map<int32_t, int64_t>> committed_before;
  std::map<std::string, std::vector<std::unique_ptr<group_consumer>>> live;
  for (const auto& plan : plans) {
    auto& members = live[plan.id];
    for (int i = 0; i < plan.members; ++i)
      members.push_back(std::make_unique<group_consumer>(bootstrap(), plan.id, kTopic));
    if (plan.members > 1) {
      // Both members own partitions before the first record is handed out, so neither reads everything alone.
      ASSERT_TRUE(poll_until(raw(members), 60s, [&] {
        size_t owned = 0;
        for (auto& m : members) {
          if (m->assignment().empty()) return false;
          owned += m->assignment().size();
        }
        return owned == kPartitions;
      })) << plan.id << " did not split the partitions";
    }
    for (size_t target : plan.commit_after) {
      ASSERT_TRUE(poll_until(raw(members), 60s, [&] { return total_seen(members) >= target; }))
          << plan.id << " read " << total_seen(members) << " of " << target;
      for (auto& m : members) ASSERT_EQ(m->commit(), RD_KAFKA_RESP_ERR_NO_ERROR) << plan.id;
    }
    committed_before[plan.id] = members.front()->committed(kTopic, kPartitions);
    // What the broker holds is what the members handed out: per partition, the offset after the last record read.
    std::map<int32_t, int64_t> next;
    for (auto& m : members)
      for (const auto& [p, o] : m->seen()) next[p] = std::max(next[p], o + 1);
    for (int32_t p = 0; p < kPartitions; ++p)
      EXPECT_EQ(committed_before[plan.id][p], next.contains(p) ? next[p] : RD_KAFKA_OFFSET_INVALID)
          << plan.id << " partition " << p;
  }

  // The broker dies with every member still in its group: no LeaveGroup, no clean shutdown.
  broker->signal(SIGKILL);
  ASSERT_TRUE(broker->wait(10s));
  broker = start_broker(1);

  for (const auto& plan : plans) {
    // The members that lived through the crash see the same committed offsets, then leave.
    EXPECT_EQ(live[plan.id].front()->committed(kTopic, kPartitions), committed_before[plan.id]) << plan.id;
    for (auto& m : live[plan.id]) m->close();
  }

  for (const auto& plan : plans) {
    SCOPED_TRACE(plan.id);
    const auto& before = committed_before[plan.id];
    int64_t remaining = 0;
    for (int32_t p = 0; p < kPartitions; ++p) remaining += kRecords / kPartitions - std::max<int64_t>(before.at(p), 0);

    group_consumer again(bootstrap(), plan.id, kTopic);
    EXPECT_EQ(again.committed(kTopic, kPartitions), before);
    ASSERT_TRUE(poll_until({&again}, 60s, [&] { return static_cast<int64_t>(again.seen().size()) >= remaining; }))
        << again.seen().size() << " of " << remaining;
    // A moment more finds nothing beyond the end either.
    poll_until({&again}, 300ms, [] { return false; });
    EXPECT_EQ(static_cast<int64_t>(again.seen().size()), remaining);
    std::map<int32_t, int64_t> first;
    for (const auto& [p, o] : again.seen())
      if (!first.contains(p)) first[p] = o;
    for (int32_t p = 0; p < kPartitions; ++p) {
      const int64_t from = std::max<int64_t>(before.at(p), 0);
      if (from < kRecords / kPartitions) {
        ASSERT_TRUE(first.contains(p)) << "partition " << p;
        EXPECT_EQ(first[p], from) << "partition " << p << " did not resume at its committed offset";
      } else {
        EXPECT_FALSE(first.contains(p)) << "partition " << p << " was read to its end before the crash";
      }
    }
    again.close();
  }
}

}  // namespace
}  // namespace samsa::broker::testing
