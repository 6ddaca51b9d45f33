// Fetch over a real socket: reading, limits, long polls woken by appends,
// sessions, epochs, isolation levels, and the errors.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "broker/data/data_plane.h"
#include "broker/test/data_topics_fixture.h"
#include "broker/test/data_wire.h"
#include "protocol/error_code.h"
#include "protocol/generated/list_offsets.h"
#include "protocol/records/batch_iterator.h"
#include "protocol/records/control_record.h"
#include "storage/log/partition_log.h"

namespace samsa::broker::testing {
namespace {

using protocol::error_code;
using clock_type = std::chrono::steady_clock;

int16_t code(error_code e) { return static_cast<int16_t>(e); }

int count_batches(const protocol::records& r) {
  auto bytes = r.contents();
  protocol::batch_iterator it(bytes);
  int n = 0;
  while (it.next()) ++n;
  return n;
}

class DataFetch : public data_fixture {
 protected:
  void SetUp() override {
    data_fixture::SetUp();
    if (HasFatalFailure()) return;
    id_ = create_topic("events", 2);
  }
  void fill(int32_t partition, int batches, int records_each = 3) {
    wire_client c(port());
    for (int i = 0; i < batches; ++i) {
      auto r = produce_one(c, "events", partition, make_batch(records_each));
      ASSERT_TRUE(r);
      ASSERT_EQ(only_partition(*r).error_code, 0);
    }
  }
  uuid id_;
};

TEST_F(DataFetch, FetchReturnsTheProducedBatchesWithTheOffsetsAConsumerNeeds) {
  fill(0, 4);
  wire_client c(port());
  auto r = fetch(c, fetch_request_of("events", {}, 0, 0));
  ASSERT_TRUE(r);
  const auto& p = only_partition(*r);
  EXPECT_EQ(p.error_code, 0);
  EXPECT_EQ(p.high_watermark, 12);
  EXPECT_EQ(p.last_stable_offset, 12);
  EXPECT_EQ(p.log_start_offset, 0);
  EXPECT_EQ(p.preferred_read_replica, -1);
  EXPECT_FALSE(p.aborted_transactions.has_value()) << "READ_UNCOMMITTED answers null aborted transactions";
  EXPECT_EQ(count_batches(p.records), 4);
  auto bytes = p.records.contents();
  protocol::batch_iterator it(bytes);
  ASSERT_TRUE(it.next());
  EXPECT_EQ(it.batch().base_offset().value(), 0);
  EXPECT_EQ(it.batch().partition_leader_epoch().value(), 0);
}

TEST_F(DataFetch, EveryFetchVersionFromFourToSeventeenIsServed) {
  fill(0, 1);
  wire_client c(port());
  for (int16_t v = 4; v <= 17; ++v) {
    auto r = fetch(c, fetch_request_of("events", v >= 13 ? id_ : uuid{}, 0, 0), v, 100 + v);
    ASSERT_TRUE(r) << "v" << v;
    EXPECT_EQ(only_partition(*r).error_code, 0) << "v" << v;
    EXPECT_EQ(count_batches(only_partition(*r).records), 1) << "v" << v;
  }
}

TEST_F(DataFetch, AFetchWithNothingToReadWaitsMaxWaitThenAnswersEmpty) {
  wire_client c(port());
  auto start = clock_type::now();
  auto r = fetch(c, fetch_request_of("events", {}, 0, 0, 300));
  auto waited = clock_type::now() - start;
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, 0);
  EXPECT_EQ(only_partition(*r).records.size(), 0u);
  EXPECT_GE(waited, std::chrono::milliseconds(280));
  EXPECT_LT(waited, std::chrono::milliseconds(3000));
}

TEST_F(DataFetch, AWaitingFetchIsWokenByAnAppendLongBeforeMaxWait) {
  wire_client consumer(port());
  ASSERT_TRUE(consumer.send(12, 5, fetch_request_of("events", {}, 1, 0, 20000)));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto start = clock_type::now();
  fill(1, 1);
  auto r = read_owned_response<protocol::fetch_response>(consumer, 12, 5, 5s);
  ASSERT_TRUE(r);
  EXPECT_LT(clock_type::now() - start, std::chrono::milliseconds(2000));
  EXPECT_EQ(count_batches(only_partition(*r).records), 1);
}

TEST_F(DataFetch, MinBytesKeepsTheFetchWaitingUntilEnoughDataArrived) {
  wire_client consumer(port());
  ASSERT_TRUE(consumer.send(12, 5, fetch_request_of("events", {}, 0, 0, 20000, 500)));
  fill(0, 1);  // well under 500 bytes
  EXPECT_FALSE(consumer.read_frame(300ms)) << "one small batch is not min_bytes";
  fill(0, 10);
  auto frame = consumer.read_frame(5s);
  ASSERT_TRUE(frame);
}

TEST_F(DataFetch, AnOffsetPastTheLogEndIsOffsetOutOfRange) {
  fill(0, 1);
  wire_client c(port());
  auto r = fetch(c, fetch_request_of("events", {}, 0, 50));
  ASSERT_TRUE(r);
  const auto& p = only_partition(*r);
  EXPECT_EQ(p.error_code, code(error_code::offset_out_of_range));
  EXPECT_EQ(p.high_watermark, -1);
  EXPECT_EQ(p.log_start_offset, -1);
}

TEST_F(DataFetch, AnOffsetBelowTheLogStartIsOffsetOutOfRange) {
  fill(0, 3);
  ASSERT_TRUE(services().logs->get_log({"events", 0})->maybe_increment_log_start_offset(offset{4}).ok());
  wire_client c(port());
  auto r = fetch(c, fetch_request_of("events", {}, 0, 1));
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::offset_out_of_range));
  auto ok = fetch(c, fetch_request_of("events", {}, 0, 4), 12, 8);
  ASSERT_TRUE(ok);
  EXPECT_EQ(only_partition(*ok).log_start_offset, 4);
}

TEST_F(DataFetch, APartitionLimitSmallerThanTheFirstBatchStillReturnsThatWholeBatch) {
  fill(0, 3);
  wire_client c(port());
  auto r = fetch(c, fetch_request_of("events", {}, 0, 0, 0, 1, 10));
  ASSERT_TRUE(r);
  EXPECT_EQ(count_batches(only_partition(*r).records), 1);
}

TEST_F(DataFetch, TheResponseLimitIsSharedAcrossPartitionsAfterTheFirstBatch) {
  fill(0, 3);
  fill(1, 3);
  wire_client c(port());
  auto req = fetch_request_of("events", {}, 0, 0, 0, 1, 1 << 20, 10);
  auto& p1 = req.topics[0].partitions.emplace_back();
  p1.partition = 1;
  p1.fetch_offset = 0;
  p1.partition_max_bytes = 1 << 20;
  auto r = fetch(c, req);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->responses[0].partitions.size(), 2u);
  EXPECT_EQ(count_batches(r->responses[0].partitions[0].records), 1) << "first batch despite max_bytes";
  EXPECT_EQ(r->responses[0].partitions[1].records.size(), 0u) << "nothing left of max_bytes";
  EXPECT_EQ(r->responses[0].partitions[1].high_watermark, 9);
}

TEST_F(DataFetch, AnOlderCurrentLeaderEpochIsFencedAndANewerOneUnknown) {
  const uuid id = create_topic("epoch5", 1);
  reshape_partitions("epoch5", [](partition_metadata& p) { p.leader_epoch = 5; });
  wire_client c(port());
  auto req = fetch_request_of("epoch5", id, 0, 0);
  req.topics[0].partitions[0].current_leader_epoch = 4;
  auto fenced = fetch(c, req, 16);
  ASSERT_TRUE(fenced);
  EXPECT_EQ(only_partition(*fenced).error_code, code(error_code::fenced_leader_epoch));
  EXPECT_EQ(only_partition(*fenced).current_leader.leader_id, services().node_id);
  EXPECT_EQ(only_partition(*fenced).current_leader.leader_epoch, 5);
  ASSERT_EQ(fenced->node_endpoints.size(), 1u) << "v16 names the leader's endpoint";
  EXPECT_EQ(fenced->node_endpoints[0].port, port());
  req.topics[0].partitions[0].current_leader_epoch = 6;
  auto unknown = fetch(c, req, 12, 8);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(only_partition(*unknown).error_code, code(error_code::unknown_leader_epoch));
  req.topics[0].partitions[0].current_leader_epoch = 5;
  auto ok = fetch(c, req, 12, 9);
  ASSERT_TRUE(ok);
  EXPECT_EQ(only_partition(*ok).error_code, 0);
}

TEST_F(DataFetch, UnknownTopicsPartitionsAndTopicIdsAreAnsweredWithTheirErrors) {
  wire_client c(port());
  auto by_name = fetch(c, fetch_request_of("missing", {}, 0, 0));
  ASSERT_TRUE(by_name);
  EXPECT_EQ(only_partition(*by_name).error_code, code(error_code::unknown_topic_or_partition));
  auto bad_partition = fetch(c, fetch_request_of("events", {}, 9, 0), 12, 8);
  ASSERT_TRUE(bad_partition);
  EXPECT_EQ(only_partition(*bad_partition).error_code, code(error_code::unknown_topic_or_partition));
  uuid stranger;
  stranger.bytes[3] = 7;
  auto by_id = fetch(c, fetch_request_of("", stranger, 0, 0), 13, 9);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(only_partition(*by_id).error_code, code(error_code::unknown_topic_id));
}

TEST_F(DataFetch, TopicIdsFromVersionThirteenReachTheirTopic) {
  fill(1, 2);
  wire_client c(port());
  auto r = fetch(c, fetch_request_of("", id_, 1, 0), 13);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->responses[0].topic_id, id_);
  EXPECT_EQ(count_batches(only_partition(*r).records), 2);
}

TEST_F(DataFetch, AReplicaIdIsNotLeaderOrFollowerOnASingleBroker) {
  fill(0, 1);
  wire_client c(port());
  auto req = fetch_request_of("events", {}, 0, 0);
  req.replica_id = 2;
  auto r = fetch(c, req);
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::not_leader_or_follower));
}

TEST_F(DataFetch, AnIncrementalSessionAnswersOnlyPartitionsThatChanged) {
  fill(0, 1);
  fill(1, 1);
  wire_client c(port());
  auto req = fetch_request_of("events", {}, 0, 0);
  auto& p1 = req.topics[0].partitions.emplace_back();
  p1.partition = 1;
  p1.fetch_offset = 0;
  p1.partition_max_bytes = 1 << 20;
  req.session_epoch = 0;  // full fetch, open a session
  auto full = fetch(c, req);
  ASSERT_TRUE(full);
  ASSERT_NE(full->session_id, 0);
  EXPECT_EQ(full->responses[0].partitions.size(), 2u);

  protocol::fetch_request inc;
  inc.replica_id = -1;
  inc.max_wait_ms = 0;
  inc.min_bytes = 1;
  inc.session_id = full->session_id;
  inc.session_epoch = 1;
  auto& t = inc.topics.emplace_back();
  t.topic = "events";
  auto& moved = t.partitions.emplace_back();
  moved.partition = 0;
  moved.fetch_offset = 3;
  moved.partition_max_bytes = 1 << 20;
  auto& caught_up = t.partitions.emplace_back();
  caught_up.partition = 1;
  caught_up.fetch_offset = 3;
  caught_up.partition_max_bytes = 1 << 20;
  fill(0, 1);
  auto r = fetch(c, inc, 12, 8);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->session_id, full->session_id);
  ASSERT_EQ(r->responses.size(), 1u);
  ASSERT_EQ(r->responses[0].partitions.size(), 1u) << "partition 1 did not change";
  EXPECT_EQ(r->responses[0].partitions[0].partition_index, 0);
  EXPECT_EQ(count_batches(r->responses[0].partitions[0].records), 1);
}

TEST_F(DataFetch, ReadCommittedStopsAtTheLastStableOffsetAndListsAbortedTransactions) {
  auto log = services().logs->get_log({"events", 0});
  services().data->partitions.find(*services().metadata->current(), "events", 0);  // become leader
  protocol::batch_builder_options txn;
  txn.is_transactional = true;
  txn.producer_id = producer_id{77};
  txn.producer_epoch = producer_epoch{0};
  txn.base_sequence = 0;
  auto batch = make_batch(2, txn);
  ASSERT_TRUE(log->append_as_leader(batch, leader_epoch{0}).ok());
  fill(0, 1);  // a non-transactional batch after the open transaction
  wire_client c(port());
  auto committed = fetch_request_of("events", {}, 0, 0);
  committed.isolation_level = 1;
  auto open = fetch(c, committed);
  ASSERT_TRUE(open);
  EXPECT_EQ(only_partition(*open).last_stable_offset, 0) << "the open transaction holds the LSO";
  EXPECT_EQ(only_partition(*open).records.size(), 0u);
  ASSERT_TRUE(only_partition(*open).aborted_transactions.has_value());
  // ListOffsets answers "latest" per isolation level too: the LSO for READ_COMMITTED.
  for (int8_t isolation : {0, 1}) {
    protocol::list_offsets_request lo;
    lo.replica_id = -1;
    lo.isolation_level = isolation;
    auto& lt = lo.topics.emplace_back();
    lt.name = "events";
    lt.partitions.push_back({0, -1, -1, 1, {}});
    ASSERT_TRUE(c.send(5, 30 + isolation, lo));
    auto lr = c.read_response<protocol::list_offsets_response>(5, 30 + isolation);
    ASSERT_TRUE(lr);
    EXPECT_EQ(lr->topics[0].partitions[0].offset, isolation ? 0 : 5) << "isolation " << int(isolation);
  }

  protocol::end_txn_marker_batch m;
  m.producer_id = producer_id{77};
  m.producer_epoch = producer_epoch{0};
  m.marker.type = protocol::control_record_type::abort;
  auto marker = protocol::build_end_txn_marker_batch(m).value();
  ASSERT_TRUE(log->append_as_leader(marker, leader_epoch{0}, storage::append_origin::coordinator).ok());
  ASSERT_TRUE(log->maybe_increment_high_watermark(log->log_end_offset()).ok());
  auto closed = fetch(c, committed, 12, 8);
  ASSERT_TRUE(closed);
  const auto& p = only_partition(*closed);
  EXPECT_EQ(p.last_stable_offset, 6);
  ASSERT_TRUE(p.aborted_transactions.has_value());
  ASSERT_EQ(p.aborted_transactions->size(), 1u);
  EXPECT_EQ((*p.aborted_transactions)[0].producer_id, 77);
  EXPECT_EQ((*p.aborted_transactions)[0].first_offset, 0);
  EXPECT_EQ(count_batches(p.records), 3);
}

TEST_F(DataFetch, ManyConcurrentLongPollsAreAllAnsweredByOneAppend) {
  std::vector<std::unique_ptr<wire_client>> consumers;
  for (int i = 0; i < 20; ++i) {
    consumers.push_back(std::make_unique<wire_client>(port()));
    ASSERT_TRUE(consumers.back()->send(12, i, fetch_request_of("events", {}, 0, 0, 20000)));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  fill(0, 1);
  for (int i = 0; i < 20; ++i) {
    auto r = read_owned_response<protocol::fetch_response>(*consumers[i], 12, i, 5s);
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(count_batches(only_partition(*r).records), 1);
  }
}

}  // namespace
}  // namespace samsa::broker::testing
