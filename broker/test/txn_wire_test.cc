// The transaction APIs over a real socket: what a client sees for
// FindCoordinator(TRANSACTION), InitProducerId, AddPartitionsToTxn,
// AddOffsetsToTxn, EndTxn, TxnOffsetCommit, WriteTxnMarkers and the admin
// APIs, and how transactional produce and read_committed fetches behave.

#include <gtest/gtest.h>

#include "broker/test/txn_wire.h"
#include "protocol/records/batch_iterator.h"

namespace samsa::broker::testing {
namespace {

using protocol::error_code;

// Data records (control batches skipped) in a Fetch answer.
int count_data_records(std::span<const uint8_t> bytes) {
  int n = 0;
  protocol::batch_iterator it(bytes);
  while (it.next())
    if (!it.batch().attributes().is_control()) n += it.batch().records_count();
  return n;
}

class TxnWire : public data_fixture {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    auto c = txn_broker_config();
    c.emplace_back("transaction.max.timeout.ms", "120000");
    return c;
  }
  void SetUp() override {
    data_fixture::SetUp();
    if (HasFatalFailure()) return;
    topic_id_ = create_topic("t", 2);
    ASSERT_TRUE(calls().await_coordinator());
    ASSERT_TRUE(calls().await_group_coordinator());
  }
  txn_calls calls() { return txn_calls(port()); }

  protocol::fetch_response::PartitionData fetch_partition(int32_t partition, int64_t offset, int8_t isolation) {
    wire_client c(port());
    auto req = fetch_request_of("t", topic_id_, partition, offset);
    req.isolation_level = isolation;
    auto r = fetch(c, req, 12);
    EXPECT_TRUE(r);
    return r ? only_partition(*r) : protocol::fetch_response::PartitionData{};
  }

  // The Complete* record follows the markers: poll DescribeTransactions for it.
  bool await_state(const std::string& id, const std::string& state) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (calls().describe(id).transaction_state == state) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  uuid topic_id_;
};

TEST_F(TxnWire, FindCoordinatorForATransactionalIdNamesThisBroker) {
  auto r = calls().find_txn_coordinator(3, "my-txn");
  EXPECT_EQ(err(r.error_code), error_code::none);
  EXPECT_EQ(r.port, port());
  auto v4 = calls().find_txn_coordinator(4, "my-txn");
  ASSERT_EQ(v4.coordinators.size(), 1u);
  EXPECT_EQ(err(v4.coordinators[0].error_code), error_code::none);
  EXPECT_EQ(v4.coordinators[0].key, "my-txn");
}

TEST_F(TxnWire, InitProducerIdBumpsTheEpochForTheSameTransactionalId) {
  auto first = calls().init(4, "a");
  ASSERT_EQ(err(first.error_code), error_code::none);
  EXPECT_EQ(first.producer_epoch, 0);
  auto second = calls().init(4, "a");
  EXPECT_EQ(err(second.error_code), error_code::none);
  EXPECT_EQ(second.producer_id, first.producer_id);
  EXPECT_EQ(second.producer_epoch, 1);
  auto other = calls().init(4, "b");
  EXPECT_NE(other.producer_id, first.producer_id);
}

TEST_F(TxnWire, InitProducerIdErrorsAreKafkas) {
  EXPECT_EQ(err(calls().init(4, "a", 120001).error_code), error_code::invalid_transaction_timeout);
  EXPECT_EQ(err(calls().init(4, "a", 0).error_code), error_code::invalid_transaction_timeout);
  EXPECT_EQ(err(calls().init(4, "").error_code), error_code::invalid_request);
  auto p = calls().init(4, "a");
  // KIP-360: a wrong epoch is fenced; v3 names it INVALID_PRODUCER_EPOCH.
  EXPECT_EQ(err(calls().init(4, "a", 60000, p.producer_id, 9).error_code), error_code::producer_fenced);
  EXPECT_EQ(err(calls().init(3, "a", 60000, p.producer_id, 9).error_code), error_code::invalid_producer_epoch);
  auto bumped = calls().init(4, "a", 60000, p.producer_id, p.producer_epoch);
  EXPECT_EQ(err(bumped.error_code), error_code::none);
  EXPECT_EQ(bumped.producer_epoch, p.producer_epoch + 1);
}

TEST_F(TxnWire, TransactionalProduceNeedsThePartitionInTheTransaction) {
  auto p = calls().init(4, "a");
  EXPECT_EQ(produce_txn(port(), "a", "t", 0, txn_batch(p.producer_id, p.producer_epoch, 0)),
            error_code::invalid_txn_state);
  ASSERT_EQ(calls().add("a", p.producer_id, p.producer_epoch, "t", {0}), std::vector<error_code>{error_code::none});
  EXPECT_EQ(produce_txn(port(), "a", "t", 0, txn_batch(p.producer_id, p.producer_epoch, 0)), error_code::none);
  // Partition 1 was not added.
  EXPECT_EQ(produce_txn(port(), "a", "t", 1, txn_batch(p.producer_id, p.producer_epoch, 0)),
            error_code::invalid_txn_state);
  // Produce v11+ clients get KIP-890's TRANSACTION_ABORTABLE instead, as from Kafka.
  EXPECT_EQ(produce_txn(port(), "a", "t", 1, txn_batch(p.producer_id, p.producer_epoch, 0), 11),
            error_code::transaction_abortable);
  // An unknown transactional id.
  EXPECT_EQ(produce_txn(port(), "zz", "t", 1, txn_batch(p.producer_id, p.producer_epoch, 0)),
            error_code::invalid_producer_id_mapping);
}

TEST_F(TxnWire, AFencedProducersTransactionalProduceIsInvalidProducerEpoch) {
  auto old = calls().init(4, "a");
  auto current = calls().init(4, "a");
  ASSERT_EQ(calls().add("a", current.producer_id, current.producer_epoch, "t", {0}),
            std::vector<error_code>{error_code::none});
  EXPECT_EQ(produce_txn(port(), "a", "t", 0, txn_batch(old.producer_id, old.producer_epoch, 0)),
            error_code::invalid_producer_epoch);
  EXPECT_EQ(calls().add("a", old.producer_id, old.producer_epoch, "t", {1}),
            std::vector<error_code>{error_code::producer_fenced});
  EXPECT_EQ(calls().add("a", old.producer_id, old.producer_epoch, "t", {1}, 1),
            std::vector<error_code>{error_code::invalid_producer_epoch});
  EXPECT_EQ(calls().end("a", old.producer_id, old.producer_epoch, true), error_code::producer_fenced);
  EXPECT_EQ(calls().end("a", old.producer_id, old.producer_epoch, true, 1), error_code::invalid_producer_epoch);
}

TEST_F(TxnWire, ReadCommittedStopsAtTheLastStableOffsetUntilTheCommit) {
  auto p = calls().init(4, "a");
  ASSERT_EQ(calls().add("a", p.producer_id, p.producer_epoch, "t", {0}), std::vector<error_code>{error_code::none});
  ASSERT_EQ(produce_txn(port(), "a", "t", 0, txn_batch(p.producer_id, p.producer_epoch, 0, 3)), error_code::none);
  auto open = fetch_partition(0, 0, 1);
  EXPECT_EQ(open.last_stable_offset, 0);
  EXPECT_EQ(open.high_watermark, 3);
  EXPECT_EQ(count_data_records(open.records.view()), 0);
  EXPECT_EQ(count_data_records(fetch_partition(0, 0, 0).records.view()), 3) << "read_uncommitted sees them";
  ASSERT_EQ(calls().end("a", p.producer_id, p.producer_epoch, true), error_code::none);
  // The markers are written after the answer: poll until the LSO moves.
  protocol::fetch_response::PartitionData committed;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  do {
    committed = fetch_partition(0, 0, 1);
  } while (committed.last_stable_offset < 4 && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(committed.last_stable_offset, 4);  // 3 records + the marker
  EXPECT_EQ(count_data_records(committed.records.view()), 3);
  ASSERT_TRUE(committed.aborted_transactions);
  EXPECT_TRUE(committed.aborted_transactions->empty());
  EXPECT_TRUE(await_state("a", "CompleteCommit"));
}

TEST_F(TxnWire, AnAbortedTransactionIsListedForReadCommittedConsumers) {
  auto p = calls().init(4, "a");
  ASSERT_EQ(calls().add("a", p.producer_id, p.producer_epoch, "t", {1}), std::vector<error_code>{error_code::none});
  ASSERT_EQ(produce_txn(port(), "a", "t", 1, txn_batch(p.producer_id, p.producer_epoch, 0, 2)), error_code::none);
  ASSERT_EQ(calls().end("a", p.producer_id, p.producer_epoch, false), error_code::none);
  protocol::fetch_response::PartitionData r;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  do {
    r = fetch_partition(1, 0, 1);
  } while (r.last_stable_offset < 3 && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(r.last_stable_offset, 3);
  ASSERT_TRUE(r.aborted_transactions);
  ASSERT_EQ(r.aborted_transactions->size(), 1u);
  EXPECT_EQ((*r.aborted_transactions)[0].producer_id, p.producer_id);
  EXPECT_EQ((*r.aborted_transactions)[0].first_offset, 0);
  EXPECT_TRUE(await_state("a", "CompleteAbort"));
}

TEST_F(TxnWire, AddPartitionsToTxnFailsTheWholeTransactionForAnUnknownPartition) {
  auto p = calls().init(4, "a");
  protocol::add_partitions_to_txn_request r;
  r.v3_and_below_transactional_id = "a";
  r.v3_and_below_producer_id = p.producer_id;
  r.v3_and_below_producer_epoch = p.producer_epoch;
  r.v3_and_below_topics.push_back({"t", {0, 7}, {}});
  r.v3_and_below_topics.push_back({"nope", {0}, {}});
  auto resp = calls().call<protocol::add_partitions_to_txn_response>(3, r);
  std::map<std::pair<std::string, int32_t>, error_code> got;
  for (const auto& t : resp.results_by_topic_v3_and_below)
    for (const auto& pr : t.results_by_partition) got[{t.name, pr.partition_index}] = err(pr.partition_error_code);
  EXPECT_EQ(got[std::make_pair(std::string("t"), 0)], error_code::operation_not_attempted);
  EXPECT_EQ(got[std::make_pair(std::string("t"), 7)], error_code::unknown_topic_or_partition);
  EXPECT_EQ(got[std::make_pair(std::string("nope"), 0)], error_code::unknown_topic_or_partition);
  EXPECT_EQ(calls().describe("a").transaction_state, "Empty");
}

TEST_F(TxnWire, AddPartitionsToTxnV4VerifiesWithoutAdding) {
  auto p = calls().init(4, "a");
  ASSERT_EQ(calls().add("a", p.producer_id, p.producer_epoch, "t", {0}), std::vector<error_code>{error_code::none});
  protocol::add_partitions_to_txn_request r;
  auto& tx = r.transactions.emplace_back();
  tx.transactional_id = "a";
  tx.producer_id = p.producer_id;
  tx.producer_epoch = p.producer_epoch;
  tx.verify_only = true;
  tx.topics.push_back({"t", {0, 1}, {}});
  auto& other = r.transactions.emplace_back();
  other.transactional_id = "unknown";
  other.producer_id = 1;
  other.producer_epoch = 0;
  other.verify_only = true;
  other.topics.push_back({"t", {0}, {}});
  auto resp = calls().call<protocol::add_partitions_to_txn_response>(4, r);
  ASSERT_EQ(resp.results_by_transaction.size(), 2u);
  const auto& a = resp.results_by_transaction[0];
  EXPECT_EQ(a.transactional_id, "a");
  ASSERT_EQ(a.topic_results.size(), 1u);
  ASSERT_EQ(a.topic_results[0].results_by_partition.size(), 2u);
  EXPECT_EQ(err(a.topic_results[0].results_by_partition[0].partition_error_code), error_code::none);
  EXPECT_EQ(err(a.topic_results[0].results_by_partition[1].partition_error_code), error_code::transaction_abortable);
  EXPECT_EQ(err(resp.results_by_transaction[1].topic_results[0].results_by_partition[0].partition_error_code),
            error_code::invalid_producer_id_mapping);
  // Verification added nothing.
  auto d = calls().describe("a");
  ASSERT_EQ(d.topics.size(), 1u);
  EXPECT_EQ(d.topics[0].partitions, std::vector<int32_t>{0});
}

TEST_F(TxnWire, EndTxnErrorsAreKafkas) {
  EXPECT_EQ(calls().end("nobody", 5, 0, true), error_code::invalid_producer_id_mapping);
  auto p = calls().init(4, "a");
  EXPECT_EQ(calls().end("a", p.producer_id, p.producer_epoch, true), error_code::invalid_txn_state);
  EXPECT_EQ(calls().end("a", p.producer_id + 1, p.producer_epoch, true), error_code::invalid_producer_id_mapping);
}

TEST_F(TxnWire, TxnOffsetCommitStaysPendingUntilTheCommitMarker) {
  auto p = calls().init(4, "a");
  protocol::txn_offset_commit_request r;
  r.transactional_id = "a";
  r.group_id = "g";
  r.producer_id = p.producer_id;
  r.producer_epoch = p.producer_epoch;
  auto& t = r.topics.emplace_back();
  t.name = "t";
  t.partitions.push_back({0, 42, -1, std::string("meta"), {}});
  // Without AddOffsetsToTxn the offsets partition is not in the transaction.
  auto refused = calls().call<protocol::txn_offset_commit_response>(3, r);
  ASSERT_EQ(refused.topics.size(), 1u);
  EXPECT_EQ(err(refused.topics[0].partitions[0].error_code), error_code::invalid_txn_state);

  ASSERT_EQ(calls().add_offsets("a", p.producer_id, p.producer_epoch, "g"), error_code::none);
  auto ok = calls().call<protocol::txn_offset_commit_response>(3, r);
  EXPECT_EQ(err(ok.topics[0].partitions[0].error_code), error_code::none);

  protocol::offset_fetch_request f;
  f.group_id = "g";
  f.require_stable = true;
  f.topics.emplace();
  f.topics->push_back({"t", {0}, {}});
  auto pending = calls().call<protocol::offset_fetch_response>(7, f);
  ASSERT_EQ(pending.topics.size(), 1u);
  EXPECT_EQ(err(pending.topics[0].partitions[0].error_code), error_code::unstable_offset_commit);
  f.require_stable = false;
  EXPECT_EQ(calls().call<protocol::offset_fetch_response>(7, f).topics[0].partitions[0].committed_offset, -1);

  ASSERT_EQ(calls().end("a", p.producer_id, p.producer_epoch, true), error_code::none);
  f.require_stable = true;
  protocol::offset_fetch_response done;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  do {
    done = calls().call<protocol::offset_fetch_response>(7, f);
  } while (done.topics[0].partitions[0].error_code != 0 && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(err(done.topics[0].partitions[0].error_code), error_code::none);
  EXPECT_EQ(done.topics[0].partitions[0].committed_offset, 42);
  EXPECT_EQ(done.topics[0].partitions[0].metadata, "meta");
}

TEST_F(TxnWire, AbortedTxnOffsetsAreDropped) {
  auto p = calls().init(4, "a");
  ASSERT_EQ(calls().add_offsets("a", p.producer_id, p.producer_epoch, "g2"), error_code::none);
  protocol::txn_offset_commit_request r;
  r.transactional_id = "a";
  r.group_id = "g2";
  r.producer_id = p.producer_id;
  r.producer_epoch = p.producer_epoch;
  r.topics.push_back({"t", {{1, 9, -1, std::nullopt, {}}}, {}});
  ASSERT_EQ(err(calls().call<protocol::txn_offset_commit_response>(3, r).topics[0].partitions[0].error_code),
            error_code::none);
  ASSERT_EQ(calls().end("a", p.producer_id, p.producer_epoch, false), error_code::none);
  protocol::offset_fetch_request f;
  f.group_id = "g2";
  f.require_stable = true;
  f.topics.emplace();
  f.topics->push_back({"t", {1}, {}});
  protocol::offset_fetch_response got;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  do {
    got = calls().call<protocol::offset_fetch_response>(7, f);
  } while (got.topics[0].partitions[0].error_code != 0 && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(err(got.topics[0].partitions[0].error_code), error_code::none);
  EXPECT_EQ(got.topics[0].partitions[0].committed_offset, -1);
}

TEST_F(TxnWire, DescribeAndListTransactionsAndDescribeProducers) {
  auto p = calls().init(4, "a");
  ASSERT_EQ(calls().add("a", p.producer_id, p.producer_epoch, "t", {0}), std::vector<error_code>{error_code::none});
  ASSERT_EQ(produce_txn(port(), "a", "t", 0, txn_batch(p.producer_id, p.producer_epoch, 0)), error_code::none);
  auto d = calls().describe("a");
  EXPECT_EQ(err(d.error_code), error_code::none);
  EXPECT_EQ(d.transaction_state, "Ongoing");
  EXPECT_EQ(d.producer_id, p.producer_id);
  EXPECT_EQ(d.transaction_timeout_ms, 60000);
  EXPECT_GT(d.transaction_start_time_ms, 0);
  EXPECT_EQ(err(calls().describe("missing").error_code), error_code::transactional_id_not_found);

  protocol::list_transactions_request l;
  l.state_filters = {"Ongoing", "Bogus"};
  auto listed = calls().call<protocol::list_transactions_response>(1, l);
  EXPECT_EQ(listed.unknown_state_filters, std::vector<std::string>{"Bogus"});
  ASSERT_EQ(listed.transaction_states.size(), 1u);
  EXPECT_EQ(listed.transaction_states[0].transactional_id, "a");

  protocol::describe_producers_request dp;
  dp.topics.push_back({"t", {0, 5}, {}});
  auto producers = calls().call<protocol::describe_producers_response>(0, dp);
  ASSERT_EQ(producers.topics.size(), 1u);
  ASSERT_EQ(producers.topics[0].partitions.size(), 2u);
  const auto& p0 = producers.topics[0].partitions[0];
  EXPECT_EQ(err(p0.error_code), error_code::none);
  ASSERT_EQ(p0.active_producers.size(), 1u);
  EXPECT_EQ(p0.active_producers[0].producer_id, p.producer_id);
  EXPECT_EQ(p0.active_producers[0].last_sequence, 1);
  EXPECT_EQ(p0.active_producers[0].current_txn_start_offset, 0);
  EXPECT_EQ(err(producers.topics[0].partitions[1].error_code), error_code::unknown_topic_or_partition);
}

TEST_F(TxnWire, WriteTxnMarkersWritesMarkersToLocalPartitions) {
  auto p = calls().init(4, "a");
  ASSERT_EQ(calls().add("a", p.producer_id, p.producer_epoch, "t", {1}), std::vector<error_code>{error_code::none});
  ASSERT_EQ(produce_txn(port(), "a", "t", 1, txn_batch(p.producer_id, p.producer_epoch, 0, 2)), error_code::none);
  protocol::write_txn_markers_request r;
  auto& m = r.markers.emplace_back();
  m.producer_id = p.producer_id;
  m.producer_epoch = p.producer_epoch;
  m.transaction_result = true;
  m.coordinator_epoch = 0;
  m.topics.push_back({"t", {1}, {}});
  m.topics.push_back({"nope", {0}, {}});
  auto resp = calls().call<protocol::write_txn_markers_response>(1, r);
  ASSERT_EQ(resp.markers.size(), 1u);
  EXPECT_EQ(resp.markers[0].producer_id, p.producer_id);
  std::map<std::string, error_code> got;
  for (const auto& t : resp.markers[0].topics) got[t.name] = err(t.partitions.at(0).error_code);
  EXPECT_EQ(got["t"], error_code::none);
  EXPECT_EQ(got["nope"], error_code::unknown_topic_or_partition);
  auto after = fetch_partition(1, 0, 1);
  EXPECT_EQ(after.last_stable_offset, 3);
  EXPECT_EQ(count_data_records(after.records.view()), 2);
}

TEST_F(TxnWire, ApiVersionsAdvertisesTheTransactionApis) {
  protocol::api_versions_request r;
  r.client_software_name = "t";
  r.client_software_version = "1";
  auto resp = calls().call<protocol::api_versions_response>(3, r);
  std::map<int16_t, std::pair<int16_t, int16_t>> got;
  for (const auto& k : resp.api_keys) got[k.api_key] = {k.min_version, k.max_version};
  EXPECT_EQ(got[24], (std::pair<int16_t, int16_t>{0, 5}));
  EXPECT_EQ(got[25], (std::pair<int16_t, int16_t>{0, 4}));
  EXPECT_EQ(got[26], (std::pair<int16_t, int16_t>{0, 5}));
  EXPECT_EQ(got[27], (std::pair<int16_t, int16_t>{1, 1}));
  EXPECT_EQ(got[28], (std::pair<int16_t, int16_t>{0, 5}));
  EXPECT_EQ(got[0].second, 12);
  EXPECT_EQ(got[61], (std::pair<int16_t, int16_t>{0, 0}));
  EXPECT_EQ(got[65], (std::pair<int16_t, int16_t>{0, 0}));
  EXPECT_EQ(got[66], (std::pair<int16_t, int16_t>{0, 1}));
}

// OffsetMetadataManager.replayEndTransactionMarker: the offset whose record
// is the most recent in __consumer_offsets wins, transactional or not.
TEST_F(TxnWire, APlainOffsetCommitAfterATransactionalOneSurvivesTheCommitMarker) {
  auto commit_plain = [&](const std::string& group, int64_t offset) {
    protocol::offset_commit_request c;
    c.group_id = group;
    c.generation_id_or_member_epoch = -1;
    auto& t = c.topics.emplace_back();
    t.name = "t";
    t.partitions.push_back({0, offset, -1, -1, std::string(""), {}});
    auto r = calls().call<protocol::offset_commit_response>(8, c);
    return r.topics.empty() ? error_code::unknown_server_error : err(r.topics[0].partitions[0].error_code);
  };
  auto commit_txn = [&](const std::string& id, const std::string& group, int64_t offset) {
    auto p = calls().init(4, id);
    EXPECT_EQ(calls().add_offsets(id, p.producer_id, p.producer_epoch, group), error_code::none);
    protocol::txn_offset_commit_request r;
    r.transactional_id = id;
    r.group_id = group;
    r.producer_id = p.producer_id;
    r.producer_epoch = p.producer_epoch;
    r.topics.emplace_back().name = "t";
    r.topics[0].partitions.push_back({0, offset, -1, std::string(""), {}});
    EXPECT_EQ(err(calls().call<protocol::txn_offset_commit_response>(3, r).topics[0].partitions[0].error_code),
              error_code::none);
    return p;
  };
  auto stable_offset = [&](const std::string& group) {
    protocol::offset_fetch_request f;
    f.group_id = group;
    f.require_stable = true;
    f.topics.emplace();
    f.topics->push_back({"t", {0}, {}});
    protocol::offset_fetch_response done;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    do {
      done = calls().call<protocol::offset_fetch_response>(7, f);
    } while (done.topics[0].partitions[0].error_code != 0 && std::chrono::steady_clock::now() < deadline);
    return done.topics[0].partitions[0].committed_offset;
  };
  // Transactional 10, then plain 20, then the COMMIT marker: 20 stays.
  auto a = commit_txn("late", "gl", 10);
  ASSERT_EQ(commit_plain("gl", 20), error_code::none);
  ASSERT_EQ(calls().end("late", a.producer_id, a.producer_epoch, true), error_code::none);
  ASSERT_TRUE(await_state("late", "CompleteCommit"));
  EXPECT_EQ(stable_offset("gl"), 20);
  // Plain 30, then transactional 40 and its marker: 40 wins.
  ASSERT_EQ(commit_plain("ge", 30), error_code::none);
  auto b = commit_txn("early", "ge", 40);
  ASSERT_EQ(calls().end("early", b.producer_id, b.producer_epoch, true), error_code::none);
  ASSERT_TRUE(await_state("early", "CompleteCommit"));
  EXPECT_EQ(stable_offset("ge"), 40);
}

// ---- transaction version 2 (KIP-890 part 2) -------------------------------------------

protocol::end_txn_response end_v5(txn_calls c, const std::string& id, int64_t pid, int16_t epoch, bool commit) {
  protocol::end_txn_request r;
  r.transactional_id = id;
  r.producer_id = pid;
  r.producer_epoch = epoch;
  r.committed = commit;
  return c.call<protocol::end_txn_response>(5, r);
}

TEST_F(TxnWire, ProduceV12AddsThePartitionAndEndTxnV5BumpsTheEpochOfEveryTransaction) {
  auto p = calls().init(4, "v2");
  ASSERT_EQ(err(p.error_code), error_code::none);
  int16_t epoch = p.producer_epoch;
  for (int txn = 0; txn < 3; ++txn) {
    // No AddPartitionsToTxn: the broker adds the partition on the first write.
    ASSERT_EQ(produce_txn(port(), "v2", "t", 0, txn_batch(p.producer_id, epoch, 0), 12), error_code::none) << txn;
    ASSERT_EQ(produce_txn(port(), "v2", "t", 1, txn_batch(p.producer_id, epoch, 0), 12), error_code::none) << txn;
    auto d = calls().describe("v2");
    EXPECT_EQ(d.transaction_state, "Ongoing");
    size_t partitions = 0;
    for (const auto& t : d.topics) partitions += t.partitions.size();
    EXPECT_EQ(partitions, 2u);
    const bool commit = txn != 1;
    auto ended = end_v5(calls(), "v2", p.producer_id, epoch, commit);
    ASSERT_EQ(err(ended.error_code), error_code::none) << txn;
    EXPECT_EQ(ended.producer_id, p.producer_id);
    EXPECT_EQ(ended.producer_epoch, epoch + 1);
    ASSERT_TRUE(await_state("v2", commit ? "CompleteCommit" : "CompleteAbort"));
    // A retry with the epoch before the bump is answered as the first time.
    auto retried = end_v5(calls(), "v2", p.producer_id, epoch, commit);
    EXPECT_EQ(err(retried.error_code), error_code::none);
    EXPECT_EQ(retried.producer_epoch, epoch + 1);
    // The old epoch is fenced in the partitions: the markers carry the new one.
    EXPECT_EQ(produce_txn(port(), "v2", "t", 0, txn_batch(p.producer_id, epoch, 2), 12),
              error_code::invalid_producer_epoch);
    epoch = ended.producer_epoch;
  }
  EXPECT_EQ(calls().describe("v2").producer_epoch, 3);
  // Two committed transactions of 2 batches x 2 records: 8 records read_committed.
  auto r0 = fetch_partition(0, 0, 1);
  auto r1 = fetch_partition(1, 0, 1);
  EXPECT_EQ(r0.last_stable_offset, r0.high_watermark);
  EXPECT_EQ(r1.last_stable_offset, r1.high_watermark);
  EXPECT_EQ(r0.aborted_transactions ? r0.aborted_transactions->size() : 0u, 1u);
}

TEST_F(TxnWire, EndTxnV5ErrorsAreKafkas) {
  auto p = calls().init(4, "v2e");
  // Commit with nothing ongoing: INVALID_TXN_STATE, no producer id in the answer.
  auto none = end_v5(calls(), "v2e", p.producer_id, p.producer_epoch, true);
  EXPECT_EQ(err(none.error_code), error_code::invalid_txn_state);
  EXPECT_EQ(none.producer_id, -1);
  EXPECT_EQ(none.producer_epoch, -1);
  // Abort with nothing ongoing: version 2 bumps the epoch anyway.
  auto aborted = end_v5(calls(), "v2e", p.producer_id, p.producer_epoch, false);
  EXPECT_EQ(err(aborted.error_code), error_code::none);
  EXPECT_EQ(aborted.producer_epoch, p.producer_epoch + 1);
  // A stale epoch (two behind) is PRODUCER_FENCED; another producer id INVALID_PRODUCER_ID_MAPPING.
  ASSERT_TRUE(await_state("v2e", "CompleteAbort"));
  ASSERT_EQ(err(end_v5(calls(), "v2e", p.producer_id, aborted.producer_epoch, false).error_code), error_code::none);
  EXPECT_EQ(err(end_v5(calls(), "v2e", p.producer_id, p.producer_epoch, false).error_code), error_code::producer_fenced);
  EXPECT_EQ(err(end_v5(calls(), "v2e", p.producer_id + 100, p.producer_epoch, false).error_code),
            error_code::invalid_producer_id_mapping);
}

TEST_F(TxnWire, ProduceV11StillNeedsThePartitionAddedByTheClient) {
  auto p = calls().init(4, "v1");
  EXPECT_EQ(produce_txn(port(), "v1", "t", 0, txn_batch(p.producer_id, p.producer_epoch, 0), 11),
            error_code::transaction_abortable);
  EXPECT_EQ(calls().describe("v1").transaction_state, "Empty");
}

TEST_F(TxnWire, TxnOffsetCommitV5AddsTheOffsetsPartitionWithoutAddOffsetsToTxn) {
  auto p = calls().init(4, "v2o");
  protocol::txn_offset_commit_request r;
  r.transactional_id = "v2o";
  r.group_id = "g5";
  r.producer_id = p.producer_id;
  r.producer_epoch = p.producer_epoch;
  r.topics.emplace_back().name = "t";
  r.topics[0].partitions.push_back({0, 17, -1, std::string(""), {}});
  auto ok = calls().call<protocol::txn_offset_commit_response>(5, r);
  ASSERT_EQ(ok.topics.size(), 1u);
  EXPECT_EQ(err(ok.topics[0].partitions[0].error_code), error_code::none);
  EXPECT_EQ(calls().describe("v2o").transaction_state, "Ongoing");
  auto ended = end_v5(calls(), "v2o", p.producer_id, p.producer_epoch, true);
  ASSERT_EQ(err(ended.error_code), error_code::none);
  protocol::offset_fetch_request f;
  f.group_id = "g5";
  f.require_stable = true;
  f.topics.emplace();
  f.topics->push_back({"t", {0}, {}});
  protocol::offset_fetch_response done;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  do {
    done = calls().call<protocol::offset_fetch_response>(7, f);
  } while (done.topics[0].partitions[0].error_code != 0 && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(done.topics[0].partitions[0].committed_offset, 17);
  // The fenced (pre-bump) epoch can no longer commit offsets.
  auto fenced = calls().call<protocol::txn_offset_commit_response>(5, r);
  EXPECT_EQ(err(fenced.topics[0].partitions[0].error_code), error_code::invalid_producer_epoch);
}

}  // namespace
}  // namespace samsa::broker::testing
