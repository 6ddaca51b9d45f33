// ListOffsets, OffsetForLeaderEpoch, DeleteRecords, DescribeLogDirs and
// InitProducerId over a real socket.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "broker/test/data_topics_fixture.h"
#include "broker/test/data_wire.h"
#include "protocol/error_code.h"
#include "protocol/generated/delete_records.h"
#include "protocol/generated/describe_log_dirs.h"
#include "protocol/generated/init_producer_id.h"
#include "protocol/generated/list_offsets.h"
#include "protocol/generated/offset_for_leader_epoch.h"
#include "storage/log/partition_log.h"

namespace samsa::broker::testing {
namespace {

using protocol::error_code;

int16_t code(error_code e) { return static_cast<int16_t>(e); }

class DataOffsets : public data_fixture {
 protected:
  void SetUp() override {
    data_fixture::SetUp();
    if (HasFatalFailure()) return;
    create_topic("events", 2);
    // Three batches with timestamps 1000, 2000, 3000 (3 records each): offsets 0-8.
    wire_client c(port());
    for (int i = 1; i <= 3; ++i) {
      auto r = produce_one(c, "events", 0, make_batch(3, {}, 1000 * i));
      ASSERT_TRUE(r);
      ASSERT_EQ(only_partition(*r).error_code, 0);
    }
  }

  protocol::list_offsets_response::ListOffsetsPartitionResponse list(int64_t timestamp, int16_t version = 7,
                                                                     int8_t isolation = 0, int32_t partition = 0,
                                                                     const std::string& topic = "events") {
    protocol::list_offsets_request req;
    req.replica_id = -1;
    req.isolation_level = isolation;
    auto& t = req.topics.emplace_back();
    t.name = topic;
    auto& p = t.partitions.emplace_back();
    p.partition_index = partition;
    p.timestamp = timestamp;
    wire_client c(port());
    EXPECT_TRUE(c.send(version, 3, req));
    auto r = c.read_response<protocol::list_offsets_response>(version, 3);
    EXPECT_TRUE(r);
    return r ? r->topics.at(0).partitions.at(0) : protocol::list_offsets_response::ListOffsetsPartitionResponse{};
  }

  protocol::init_producer_id_response init_producer_id(std::optional<std::string> txn_id, int32_t timeout_ms = 60000,
                                                       int64_t pid = -1, int16_t epoch = -1, int16_t version = 4) {
    protocol::init_producer_id_request req;
    req.transactional_id = std::move(txn_id);
    req.transaction_timeout_ms = timeout_ms;
    req.producer_id = pid;
    req.producer_epoch = epoch;
    wire_client c(port());
    EXPECT_TRUE(c.send(version, 4, req));
    auto r = c.read_response<protocol::init_producer_id_response>(version, 4);
    EXPECT_TRUE(r);
    return r ? *r : protocol::init_producer_id_response{};
  }
};

TEST_F(DataOffsets, EarliestAndLatestAreTheLogStartAndTheHighWatermark) {
  auto earliest = list(storage::kEarliestTimestamp);
  EXPECT_EQ(earliest.error_code, 0);
  EXPECT_EQ(earliest.offset, 0);
  auto latest = list(storage::kLatestTimestamp);
  EXPECT_EQ(latest.offset, 9);
  EXPECT_EQ(latest.timestamp, -1);
  EXPECT_EQ(latest.leader_epoch, 0);
  EXPECT_EQ(list(storage::kLatestTimestamp, 1).offset, 9) << "v1 is served";
}

TEST_F(DataOffsets, ATimestampFindsTheFirstRecordAtOrAfterIt) {
  auto r = list(1500);
  EXPECT_EQ(r.error_code, 0);
  EXPECT_EQ(r.offset, 3);
  EXPECT_EQ(r.timestamp, 2000);
  auto past = list(9000);
  EXPECT_EQ(past.error_code, 0);
  EXPECT_EQ(past.offset, -1) << "no record that late";
}

TEST_F(DataOffsets, MaxTimestampNeedsVersionSevenAndFindsTheLatestRecord) {
  auto r = list(storage::kMaxTimestamp, 7);
  EXPECT_EQ(r.error_code, 0);
  EXPECT_EQ(r.timestamp, 3000);
  EXPECT_EQ(r.offset, 6) << "the first record holding the largest timestamp";
  EXPECT_EQ(list(storage::kMaxTimestamp, 6).error_code, code(error_code::unsupported_version));
  EXPECT_EQ(list(storage::kEarliestLocalTimestamp, 7).error_code, code(error_code::unsupported_version));
  EXPECT_EQ(list(storage::kEarliestLocalTimestamp, 8).offset, 0);
  EXPECT_EQ(list(-7, 9).error_code, code(error_code::unsupported_version));
}

TEST_F(DataOffsets, UnknownPartitionsAndDuplicatesGetKafkasErrors) {
  EXPECT_EQ(list(-1, 7, 0, 0, "missing").error_code, code(error_code::unknown_topic_or_partition));
  EXPECT_EQ(list(-1, 7, 0, 5).error_code, code(error_code::unknown_topic_or_partition));
  protocol::list_offsets_request req;
  req.replica_id = -1;
  auto& t = req.topics.emplace_back();
  t.name = "events";
  t.partitions.push_back({0, -1, -1, 1, {}});
  t.partitions.push_back({0, -1, -2, 1, {}});
  wire_client c(port());
  ASSERT_TRUE(c.send(7, 3, req));
  auto r = c.read_response<protocol::list_offsets_response>(7, 3);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->topics[0].partitions.size(), 1u);
  EXPECT_EQ(r->topics[0].partitions[0].error_code, code(error_code::invalid_request));
}

TEST_F(DataOffsets, OffsetForLeaderEpochAnswersTheEndOfTheEpoch) {
  protocol::offset_for_leader_epoch_request req;
  req.replica_id = -1;
  auto& t = req.topics.emplace_back();
  t.topic = "events";
  t.partitions.push_back({0, -1, 0, {}});
  t.partitions.push_back({1, 3, 0, {}});
  t.partitions.push_back({7, -1, 0, {}});
  wire_client c(port());
  ASSERT_TRUE(c.send(4, 5, req));
  auto r = c.read_response<protocol::offset_for_leader_epoch_response>(4, 5);
  ASSERT_TRUE(r);
  const auto& ps = r->topics.at(0).partitions;
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(ps[0].error_code, 0);
  EXPECT_EQ(ps[0].leader_epoch, 0);
  EXPECT_EQ(ps[0].end_offset, 9);
  EXPECT_EQ(ps[1].error_code, code(error_code::unknown_leader_epoch));
  EXPECT_EQ(ps[2].error_code, code(error_code::unknown_topic_or_partition));
}

TEST_F(DataOffsets, DeleteRecordsRaisesTheLogStartOffsetUpToTheHighWatermark) {
  protocol::delete_records_request req;
  req.timeout_ms = 5000;
  auto& t = req.topics.emplace_back();
  t.name = "events";
  t.partitions.push_back({0, 4, {}});
  wire_client c(port());
  ASSERT_TRUE(c.send(2, 6, req));
  auto r = c.read_response<protocol::delete_records_response>(2, 6);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->topics[0].partitions[0].error_code, 0);
  EXPECT_EQ(r->topics[0].partitions[0].low_watermark, 4);
  EXPECT_EQ(list(storage::kEarliestTimestamp).offset, 4);

  t.partitions = {{0, 10, {}}, {0, -5, {}}};
  ASSERT_TRUE(c.send(2, 7, req));
  r = c.read_response<protocol::delete_records_response>(2, 7);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->topics[0].partitions[0].error_code, code(error_code::offset_out_of_range)) << "above the high watermark";
  EXPECT_EQ(r->topics[0].partitions[0].low_watermark, -1);
  EXPECT_EQ(r->topics[0].partitions[1].error_code, code(error_code::offset_out_of_range));

  t.partitions = {{0, -1, {}}};
  ASSERT_TRUE(c.send(0, 8, req));
  r = c.read_response<protocol::delete_records_response>(0, 8);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->topics[0].partitions[0].low_watermark, 9) << "-1 means the high watermark";
}

TEST_F(DataOffsets, DeleteRecordsRefusesCompactedTopicsAndUnknownPartitions) {
  create_topic("compacted", 1, {{"cleanup.policy", "compact"}});
  protocol::delete_records_request req;
  auto& a = req.topics.emplace_back();
  a.name = "compacted";
  a.partitions.push_back({0, 0, {}});
  auto& b = req.topics.emplace_back();
  b.name = "missing";
  b.partitions.push_back({0, 0, {}});
  wire_client c(port());
  ASSERT_TRUE(c.send(2, 6, req));
  auto r = c.read_response<protocol::delete_records_response>(2, 6);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->topics[0].partitions[0].error_code, code(error_code::policy_violation));
  EXPECT_EQ(r->topics[1].partitions[0].error_code, code(error_code::unknown_topic_or_partition));
}

TEST_F(DataOffsets, DescribeLogDirsListsEveryPartitionWithItsSize) {
  protocol::describe_log_dirs_request req;
  req.topics = std::nullopt;
  wire_client c(port());
  ASSERT_TRUE(c.send(4, 9, req));
  auto r = c.read_response<protocol::describe_log_dirs_response>(4, 9);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->results.size(), 1u);
  const auto& d = r->results[0];
  EXPECT_EQ(d.error_code, 0);
  EXPECT_EQ(d.log_dir, std::filesystem::absolute(dir() / "data").lexically_normal().string());
  EXPECT_GT(d.total_bytes, 0);
  EXPECT_GT(d.usable_bytes, 0);
  ASSERT_EQ(d.topics.size(), 1u);
  EXPECT_EQ(d.topics[0].name, "events");
  ASSERT_EQ(d.topics[0].partitions.size(), 2u);
  EXPECT_GT(d.topics[0].partitions[0].partition_size, 0);
  EXPECT_EQ(d.topics[0].partitions[1].partition_size, 0);
  EXPECT_EQ(d.topics[0].partitions[0].offset_lag, 0);

  protocol::describe_log_dirs_request one;
  one.topics = std::vector<protocol::describe_log_dirs_request::DescribableLogDirTopic>{{"events", {1}, {}}};
  ASSERT_TRUE(c.send(1, 10, one));
  auto r1 = c.read_response<protocol::describe_log_dirs_response>(1, 10);
  ASSERT_TRUE(r1);
  ASSERT_EQ(r1->results[0].topics.size(), 1u);
  ASSERT_EQ(r1->results[0].topics[0].partitions.size(), 1u);
  EXPECT_EQ(r1->results[0].topics[0].partitions[0].partition_index, 1);
}

TEST_F(DataOffsets, InitProducerIdHandsOutDistinctIdsWithEpochZero) {
  std::set<int64_t> ids;
  for (int i = 0; i < 1200; ++i) {
    auto r = init_producer_id(std::nullopt, 60000, -1, -1, static_cast<int16_t>(i % 6));
    ASSERT_EQ(r.error_code, 0);
    EXPECT_EQ(r.producer_epoch, 0);
    EXPECT_TRUE(ids.insert(r.producer_id).second);
  }
}

// Before __transaction_state exists no broker owns the id's partition.
TEST_F(DataOffsets, InitProducerIdAnswersTransactionalIdsAsKafkaWithoutACoordinator) {
  auto txn = init_producer_id(std::string("my-txn"));
  EXPECT_EQ(txn.error_code, code(error_code::not_coordinator));
  EXPECT_EQ(txn.producer_id, -1);
  EXPECT_EQ(txn.producer_epoch, -1);
  EXPECT_EQ(init_producer_id(std::string("")).error_code, code(error_code::invalid_request));
  EXPECT_EQ(init_producer_id(std::string("my-txn"), 0).error_code, code(error_code::invalid_transaction_timeout));
  EXPECT_EQ(init_producer_id(std::string("my-txn"), 900'001).error_code,
            code(error_code::invalid_transaction_timeout));
  EXPECT_EQ(init_producer_id(std::nullopt, 60000, 5, -1).error_code, code(error_code::invalid_request));
  auto renewed = init_producer_id(std::nullopt, 60000, 5, 3);
  EXPECT_EQ(renewed.error_code, 0) << "an idempotent producer's old id and epoch are ignored";
  EXPECT_EQ(renewed.producer_epoch, 0);
}

}  // namespace
}  // namespace samsa::broker::testing
