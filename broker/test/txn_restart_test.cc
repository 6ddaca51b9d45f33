// Transaction state survives a broker restart: __transaction_state is
// replayed, an open transaction is still open (and a new InitProducerId
// fences its producer and aborts it), a commit answered before the restart
// is complete after it, and transactional offsets are replayed with their
// markers. The broker is dropped without a clean shutdown (its destructor
// skips flushing and checkpoints, as after a crash) and started again on the
// same log directory.

#include <gtest/gtest.h>

#include "broker/broker.h"
#include "broker/config/broker_config.h"
#include "broker/config/properties.h"
#include "broker/test/broker_fixture.h"
#include "broker/test/txn_wire.h"

namespace samsa::broker::testing {
namespace {

using protocol::error_code;

class TxnRestart : public ::testing::Test {
 protected:
  void start() {
    config::properties props;
    props.set("listeners", "PLAINTEXT://127.0.0.1:0");
    props.set("log.dirs", (dir_.path() / "data").string());
    props.set("samsa.shards", "2");
    for (const auto& [k, v] : txn_broker_config()) props.set(k, v);
    auto cfg = config::broker_config::from_properties(props);
    ASSERT_TRUE(cfg.has_value()) << cfg.error().message;
    auto started = broker::start(*cfg);
    ASSERT_TRUE(started.has_value()) << started.error();
    broker_ = std::move(*started);
    port_ = broker_->port_of("PLAINTEXT");
  }
  void crash() { broker_.reset(); }
  void TearDown() override { broker_.reset(); }

  txn_calls calls() { return txn_calls(port_); }

  protocol::fetch_response::PartitionData fetch_committed(int32_t partition) {
    wire_client c(port_);
    auto req = fetch_request_of("t", topic_id_, partition, 0);
    req.isolation_level = 1;
    auto r = fetch(c, req, 12);
    EXPECT_TRUE(r);
    return r ? only_partition(*r) : protocol::fetch_response::PartitionData{};
  }

  void start_with_topic() {
    start();
    ASSERT_TRUE(calls().await_coordinator());
    ASSERT_TRUE(calls().await_group_coordinator());
    topic_id_ = create_topic_via_api(port_, "t", 1);
  }

  temp_dir dir_;
  std::unique_ptr<broker> broker_;
  uint16_t port_ = 0;
  uuid topic_id_;
};

TEST_F(TxnRestart, AnOpenTransactionIsReloadedAndANewInitProducerIdFencesItsProducer) {
  start_with_topic();
  auto p = calls().init(4, "a");
  ASSERT_EQ(err(p.error_code), error_code::none);
  ASSERT_EQ(calls().add("a", p.producer_id, p.producer_epoch, "t", {0}), std::vector<error_code>{error_code::none});
  ASSERT_EQ(produce_txn(port_, "a", "t", 0, txn_batch(p.producer_id, p.producer_epoch, 0, 3)), error_code::none);
  crash();
  start();
  auto d = calls().describe("a");
  ASSERT_EQ(err(d.error_code), error_code::none);
  EXPECT_EQ(d.transaction_state, "Ongoing");
  EXPECT_EQ(d.producer_id, p.producer_id);
  EXPECT_EQ(d.producer_epoch, p.producer_epoch);
  ASSERT_EQ(d.topics.size(), 1u);
  EXPECT_EQ(d.topics[0].partitions, std::vector<int32_t>{0});

  auto fenced = calls().init_retrying("a");
  ASSERT_EQ(err(fenced.error_code), error_code::none);
  EXPECT_EQ(fenced.producer_id, p.producer_id);
  EXPECT_EQ(fenced.producer_epoch, p.producer_epoch + 2);  // one bump to abort, one for the new producer
  EXPECT_EQ(calls().end("a", p.producer_id, p.producer_epoch, true), error_code::producer_fenced);
  EXPECT_EQ(produce_txn(port_, "a", "t", 0, txn_batch(p.producer_id, p.producer_epoch, 3)),
            error_code::invalid_producer_epoch);
  auto r = fetch_committed(0);
  EXPECT_EQ(r.last_stable_offset, 4);
  ASSERT_TRUE(r.aborted_transactions);
  ASSERT_EQ(r.aborted_transactions->size(), 1u);
  EXPECT_EQ((*r.aborted_transactions)[0].producer_id, p.producer_id);
}

TEST_F(TxnRestart, ACommittedTransactionStaysCommittedAcrossARestart) {
  start_with_topic();
  auto p = calls().init(4, "a");
  ASSERT_EQ(calls().add("a", p.producer_id, p.producer_epoch, "t", {0}), std::vector<error_code>{error_code::none});
  ASSERT_EQ(produce_txn(port_, "a", "t", 0, txn_batch(p.producer_id, p.producer_epoch, 0, 2)), error_code::none);
  ASSERT_EQ(calls().end("a", p.producer_id, p.producer_epoch, true), error_code::none);
  crash();
  start();
  // Whether the markers were written before the crash or are written by the
  // reloaded coordinator, the transaction ends committed.
  protocol::fetch_response::PartitionData r;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  do {
    r = fetch_committed(0);
  } while (r.last_stable_offset < 3 && std::chrono::steady_clock::now() < deadline);
  // 2 records + the marker; + a second COMMIT marker when the reloaded
  // coordinator wrote them again (Kafka resends markers after a failover too).
  EXPECT_GE(r.last_stable_offset, 3);
  EXPECT_LE(r.last_stable_offset, 4);
  ASSERT_TRUE(r.aborted_transactions);
  EXPECT_TRUE(r.aborted_transactions->empty());
  auto next = calls().init_retrying("a");  // CONCURRENT_TRANSACTIONS until CompleteCommit is durable
  EXPECT_EQ(err(next.error_code), error_code::none);
  EXPECT_EQ(next.producer_epoch, p.producer_epoch + 1);
  EXPECT_EQ(calls().describe("a").transaction_state, "Empty");
}

TEST_F(TxnRestart, TransactionalOffsetsAreReplayedWithTheirMarkers) {
  start_with_topic();
  auto p = calls().init(4, "a");
  ASSERT_EQ(calls().add_offsets("a", p.producer_id, p.producer_epoch, "g"), error_code::none);
  protocol::txn_offset_commit_request r;
  r.transactional_id = "a";
  r.group_id = "g";
  r.producer_id = p.producer_id;
  r.producer_epoch = p.producer_epoch;
  r.topics.push_back({"t", {{0, 17, -1, std::string("m"), {}}}, {}});
  ASSERT_EQ(err(calls().call<protocol::txn_offset_commit_response>(3, r).topics.at(0).partitions.at(0).error_code),
            error_code::none);
  crash();
  start();
  protocol::offset_fetch_request f;
  f.group_id = "g";
  f.require_stable = true;
  f.topics.emplace();
  f.topics->push_back({"t", {0}, {}});
  // Still pending: the transaction is open.
  EXPECT_EQ(err(calls().call<protocol::offset_fetch_response>(7, f).topics.at(0).partitions.at(0).error_code),
            error_code::unstable_offset_commit);
  ASSERT_EQ(calls().end("a", p.producer_id, p.producer_epoch, true), error_code::none);
  protocol::offset_fetch_response got;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  do {
    got = calls().call<protocol::offset_fetch_response>(7, f);
  } while (got.topics.at(0).partitions.at(0).error_code != 0 && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(got.topics[0].partitions[0].committed_offset, 17);
  crash();
  start();
  f.require_stable = true;
  auto replayed = calls().call<protocol::offset_fetch_response>(7, f);
  EXPECT_EQ(err(replayed.topics.at(0).partitions.at(0).error_code), error_code::none);
  EXPECT_EQ(replayed.topics[0].partitions[0].committed_offset, 17);
  EXPECT_EQ(replayed.topics[0].partitions[0].metadata, "m");
}

}  // namespace
}  // namespace samsa::broker::testing
