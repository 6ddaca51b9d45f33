#include "broker/txn/txn_coordinator.h"

#include <gtest/gtest.h>

#include "broker/txn/test/fake_txn_log.h"

namespace samsa::broker::txn {
namespace {

using protocol::error_code;
using testing::fake_txn_log;

struct coordinator_fixture : ::testing::Test {
  fake_txn_log log;
  int64_t now = 1'000'000;
  int64_t next_pid = 1000;
  txn_config config = [] {
    txn_config c;
    c.abort_interval_ms = 1000;
    c.remove_expired_interval_ms = 5000;
    c.id_expiration_ms = 60'000;
    return c;
  }();
  std::unique_ptr<txn_coordinator> c = make();

  std::unique_ptr<txn_coordinator> make(bool load = true) {
    auto made = std::make_unique<txn_coordinator>(
        config, log, [this](txn_coordinator::pid_done d) { d(next_pid++); }, [this] { return now; },
        [](int32_t) { return 3; });
    if (load) made->loaded();
    return made;
  }

  init_pid_result init(const std::string& id, int32_t timeout_ms = 60000,
                       std::optional<std::pair<int64_t, int16_t>> expected = std::nullopt) {
    std::optional<init_pid_result> out;
    c->init_producer_id(id, timeout_ms, expected, [&](init_pid_result r) { out = r; });
    EXPECT_TRUE(out) << "InitProducerId not answered";
    return out.value_or(init_pid_result{error_code::unknown_server_error});
  }
  std::optional<error_code> add(const std::string& id, init_pid_result p, std::vector<topic_partition_key> tps) {
    std::optional<error_code> out;
    c->add_partitions(id, p.producer_id, p.producer_epoch, std::move(tps), [&](error_code e) { out = e; });
    return out;
  }
  std::optional<error_code> end(const std::string& id, int64_t pid, int16_t epoch, bool commit) {
    std::optional<error_code> out;
    c->end_txn(id, pid, epoch, commit, [&](error_code e) { out = e; });
    return out;
  }
  txn_state state_of(const std::string& id) { return c->metadata_of(id).value().state; }
};

TEST_F(coordinator_fixture, FirstInitProducerIdTakesANewProducerIdAtEpochZeroAndWritesEmpty) {
  auto r = init("a");
  EXPECT_EQ(r.error, error_code::none);
  EXPECT_EQ(r.producer_id, 1000);
  EXPECT_EQ(r.producer_epoch, 0);
  ASSERT_EQ(log.records.size(), 1u);
  EXPECT_EQ(log.last().transactional_id, "a");
  EXPECT_EQ(log.last().partition, c->partition_for("a"));
  ASSERT_TRUE(log.last().value);
  EXPECT_EQ(log.last().value->state, txn_state::empty);
  EXPECT_EQ(log.last().value->transaction_timeout_ms, 60000);
}

TEST_F(coordinator_fixture, ASecondInitProducerIdBumpsTheEpochAndFencesTheFirstProducer) {
  auto first = init("a");
  auto second = init("a");
  EXPECT_EQ(second.producer_id, first.producer_id);
  EXPECT_EQ(second.producer_epoch, 1);
  EXPECT_EQ(add("a", first, {{"t", 0}}), error_code::producer_fenced);
  EXPECT_EQ(end("a", first.producer_id, first.producer_epoch, true), error_code::producer_fenced);
  EXPECT_EQ(add("a", second, {{"t", 0}}), error_code::none);
}

TEST_F(coordinator_fixture, CommitWritesPrepareCommitThenMarkersThenCompleteCommit) {
  auto p = init("a");
  ASSERT_EQ(add("a", p, {{"t", 0}, {"t", 1}}), error_code::none);
  EXPECT_EQ(state_of("a"), txn_state::ongoing);
  EXPECT_EQ(log.last().value->state, txn_state::ongoing);
  EXPECT_EQ(log.last().value->start_timestamp_ms, now);
  EXPECT_EQ(end("a", p.producer_id, p.producer_epoch, true), error_code::none);
  ASSERT_EQ(log.markers.size(), 1u);
  EXPECT_TRUE(log.markers[0].commit);
  EXPECT_EQ(log.markers[0].producer_id, p.producer_id);
  EXPECT_EQ(log.markers[0].producer_epoch, p.producer_epoch);
  EXPECT_EQ(log.markers[0].coordinator_epoch, 3);
  EXPECT_EQ(log.markers[0].partitions, (std::vector<topic_partition_key>{{"t", 0}, {"t", 1}}));
  ASSERT_GE(log.records.size(), 4u);
  EXPECT_EQ(log.records[log.records.size() - 2].value->state, txn_state::prepare_commit);
  EXPECT_EQ(log.last().value->state, txn_state::complete_commit);
  EXPECT_TRUE(log.last().value->partitions.empty());
  EXPECT_EQ(state_of("a"), txn_state::complete_commit);
  // A retried commit is answered NONE; an abort now is INVALID_TXN_STATE.
  EXPECT_EQ(end("a", p.producer_id, p.producer_epoch, true), error_code::none);
  EXPECT_EQ(end("a", p.producer_id, p.producer_epoch, false), error_code::invalid_txn_state);
  // The next transaction keeps the epoch (transaction.version 1).
  EXPECT_EQ(add("a", p, {{"u", 0}}), error_code::none);
  EXPECT_EQ(c->metadata_of("a")->partitions, (std::set<topic_partition_key>{{"u", 0}}));
}

TEST_F(coordinator_fixture, WhileMarkersAreBeingWrittenRequestsAreConcurrentTransactions) {
  log.markers_at_once = false;
  auto p = init("a");
  ASSERT_EQ(add("a", p, {{"t", 0}}), error_code::none);
  EXPECT_EQ(end("a", p.producer_id, p.producer_epoch, true), error_code::none);
  EXPECT_EQ(state_of("a"), txn_state::prepare_commit);
  EXPECT_EQ(end("a", p.producer_id, p.producer_epoch, true), error_code::concurrent_transactions);
  EXPECT_EQ(end("a", p.producer_id, p.producer_epoch, false), error_code::invalid_txn_state);
  EXPECT_EQ(add("a", p, {{"t", 1}}), error_code::concurrent_transactions);
  EXPECT_EQ(init("a").error, error_code::concurrent_transactions);
  auto verified = c->verify_partitions("a", p.producer_id, p.producer_epoch, {{"t", 0}});
  EXPECT_EQ(verified[0].second, error_code::concurrent_transactions);
  log.complete_markers();
  EXPECT_EQ(state_of("a"), txn_state::complete_commit);
}

TEST_F(coordinator_fixture, EndTxnErrorsAreKafkas) {
  EXPECT_EQ(end("nobody", 1, 0, true), error_code::invalid_producer_id_mapping);
  auto p = init("a");
  EXPECT_EQ(end("a", p.producer_id, p.producer_epoch, true), error_code::invalid_txn_state);  // Empty
  EXPECT_EQ(end("a", p.producer_id + 1, p.producer_epoch, true), error_code::invalid_producer_id_mapping);
  EXPECT_EQ(end("a", p.producer_id, static_cast<int16_t>(p.producer_epoch + 1), true), error_code::producer_fenced);
  EXPECT_EQ(end("", p.producer_id, p.producer_epoch, true), error_code::invalid_request);
}

TEST_F(coordinator_fixture, AddPartitionsErrorsAreKafkas) {
  init_pid_result unknown{error_code::none, 5, 0};
  EXPECT_EQ(add("nobody", unknown, {{"t", 0}}), error_code::invalid_producer_id_mapping);
  auto p = init("a");
  EXPECT_EQ(add("a", {error_code::none, p.producer_id + 1, 0}, {{"t", 0}}), error_code::invalid_producer_id_mapping);
  log.durable_at_once = false;
  std::optional<error_code> first;
  c->add_partitions("a", p.producer_id, p.producer_epoch, {{"t", 0}}, [&](error_code e) { first = e; });
  EXPECT_EQ(first, std::nullopt);  // waiting for durability
  EXPECT_EQ(add("a", p, {{"t", 1}}), error_code::concurrent_transactions);
  log.complete_all();
  EXPECT_EQ(first, error_code::none);
  log.durable_at_once = true;
  EXPECT_EQ(add("a", p, {{"t", 0}}), error_code::none);  // already in: answered at once
}

TEST_F(coordinator_fixture, AFailedWriteLeavesTheStateAndMapsTheError) {
  auto p = init("a");
  log.refuse = error_code::not_enough_replicas;
  EXPECT_EQ(add("a", p, {{"t", 0}}), error_code::coordinator_not_available);
  EXPECT_EQ(state_of("a"), txn_state::empty);
  log.refuse = error_code::not_leader_or_follower;
  EXPECT_EQ(add("a", p, {{"t", 0}}), error_code::not_coordinator);
  log.refuse = error_code::none;
  EXPECT_EQ(add("a", p, {{"t", 0}}), error_code::none);
}

TEST_F(coordinator_fixture, VerificationSaysWhetherAPartitionIsInTheOngoingTransaction) {
  auto p = init("a");
  ASSERT_EQ(add("a", p, {{"t", 0}}), error_code::none);
  auto r = c->verify_partitions("a", p.producer_id, p.producer_epoch, {{"t", 0}, {"t", 1}});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].second, error_code::none);
  EXPECT_EQ(r[1].second, error_code::transaction_abortable);
  EXPECT_EQ(c->verify_partitions("a", p.producer_id, 7, {{"t", 0}})[0].second, error_code::producer_fenced);
  EXPECT_EQ(c->verify_partitions("b", p.producer_id, 0, {{"t", 0}})[0].second,
            error_code::invalid_producer_id_mapping);
}

TEST_F(coordinator_fixture, InitProducerIdDuringATransactionAbortsItWithABumpedEpochAndAsksForARetry) {
  auto p = init("a");
  ASSERT_EQ(add("a", p, {{"t", 0}}), error_code::none);
  EXPECT_EQ(init("a").error, error_code::concurrent_transactions);
  ASSERT_EQ(log.markers.size(), 1u);
  EXPECT_FALSE(log.markers[0].commit);
  EXPECT_EQ(log.markers[0].producer_epoch, p.producer_epoch + 1);
  EXPECT_EQ(state_of("a"), txn_state::complete_abort);
  auto retried = init("a");
  EXPECT_EQ(retried.error, error_code::none);
  EXPECT_EQ(retried.producer_epoch, p.producer_epoch + 2);
  EXPECT_EQ(end("a", p.producer_id, p.producer_epoch, true), error_code::producer_fenced);
}

TEST_F(coordinator_fixture, ATransactionOlderThanItsTimeoutIsAbortedByTheTicker) {
  auto p = init("a", 5000);
  ASSERT_EQ(add("a", p, {{"t", 0}}), error_code::none);
  c->tick(now);  // the first tick schedules the check (every abort_interval_ms = 1000)
  now += 4500;
  c->tick(now);
  EXPECT_TRUE(log.markers.empty()) << "not yet timed out at this check";
  now += 1500;
  c->tick(now);
  ASSERT_EQ(log.markers.size(), 1u);
  EXPECT_FALSE(log.markers[0].commit);
  EXPECT_EQ(log.markers[0].producer_epoch, p.producer_epoch + 1);
  EXPECT_EQ(state_of("a"), txn_state::complete_abort);
  EXPECT_EQ(c->metadata_of("a")->producer_epoch, p.producer_epoch + 1);
  EXPECT_EQ(end("a", p.producer_id, p.producer_epoch, true), error_code::producer_fenced);
}

TEST_F(coordinator_fixture, AnIdleTransactionalIdExpiresWithATombstone) {
  init("a");
  c->tick(now);
  now += config.id_expiration_ms + config.remove_expired_interval_ms;
  c->tick(now);
  EXPECT_FALSE(c->metadata_of("a"));
  EXPECT_EQ(log.last().transactional_id, "a");
  EXPECT_FALSE(log.last().value);
  // A new InitProducerId starts over with a new producer id.
  auto again = init("a");
  EXPECT_EQ(again.producer_epoch, 0);
  EXPECT_EQ(again.producer_id, 1001);
}

TEST_F(coordinator_fixture, AnOngoingTransactionDoesNotExpire) {
  auto p = init("a", 900000);
  ASSERT_EQ(add("a", p, {{"t", 0}}), error_code::none);
  c->tick(now);
  now += config.id_expiration_ms + config.remove_expired_interval_ms;
  c->tick(now);
  EXPECT_TRUE(c->metadata_of("a"));
}

TEST_F(coordinator_fixture, RequestsBeforeLoadingFinishesAreCoordinatorLoadInProgress) {
  c = make(false);
  EXPECT_EQ(init("a").error, error_code::coordinator_load_in_progress);
  EXPECT_EQ(end("a", 1, 0, true), error_code::coordinator_load_in_progress);
  EXPECT_EQ(c->describe("a").error, error_code::coordinator_load_in_progress);
  c->loaded();
  EXPECT_EQ(init("a").error, error_code::none);
}

TEST_F(coordinator_fixture, ReplayRestoresStateAndLoadingCompletesAPreparedCommit) {
  auto p = init("a");
  ASSERT_EQ(add("a", p, {{"t", 0}}), error_code::none);
  log.markers_at_once = false;
  ASSERT_EQ(end("a", p.producer_id, p.producer_epoch, true), error_code::none);
  // The broker dies with PrepareCommit durable and the markers unwritten:
  // a new coordinator replays the records.
  auto records = log.records;
  fake_txn_log fresh;
  fresh.markers_at_once = true;
  auto restarted = std::make_unique<txn_coordinator>(
      config, fresh, [this](txn_coordinator::pid_done d) { d(next_pid++); }, [this] { return now; },
      [](int32_t) { return 4; });
  for (const auto& r : records) restarted->replay(r.transactional_id, r.value);
  EXPECT_EQ(restarted->metadata_of("a")->state, txn_state::prepare_commit);
  restarted->loaded();
  ASSERT_EQ(fresh.markers.size(), 1u);
  EXPECT_TRUE(fresh.markers[0].commit);
  EXPECT_EQ(fresh.markers[0].coordinator_epoch, 4);
  EXPECT_EQ(restarted->metadata_of("a")->state, txn_state::complete_commit);
  EXPECT_EQ(fresh.last().value->state, txn_state::complete_commit);
  restarted->shutdown();
}

TEST_F(coordinator_fixture, ATombstoneInReplayRemovesTheId) {
  c = make(false);
  txn_log_value v;
  v.producer_id = 7;
  v.producer_epoch = 2;
  c->replay("a", v);
  c->replay("a", std::nullopt);
  c->loaded();
  EXPECT_FALSE(c->metadata_of("a"));
}

TEST_F(coordinator_fixture, Kip360ExpectedProducerIdAndEpochAreChecked) {
  auto p = init("a");
  EXPECT_EQ(init("a", 60000, std::make_pair(p.producer_id, static_cast<int16_t>(5))).error,
            error_code::producer_fenced);
  auto bumped = init("a", 60000, std::make_pair(p.producer_id, p.producer_epoch));
  EXPECT_EQ(bumped.error, error_code::none);
  EXPECT_EQ(bumped.producer_epoch, p.producer_epoch + 1);
  // A retry of that bump (its answer lost) gets the same epoch again.
  auto retried = init("a", 60000, std::make_pair(p.producer_id, p.producer_epoch));
  EXPECT_EQ(retried.error, error_code::none);
  EXPECT_EQ(retried.producer_epoch, bumped.producer_epoch);
  EXPECT_EQ(init("a", 60000, std::make_pair(p.producer_id + 50, p.producer_epoch)).error,
            error_code::producer_fenced);
}

TEST_F(coordinator_fixture, AnExhaustedEpochRotatesToANewProducerId) {
  c = make(false);
  txn_log_value v;
  v.producer_id = 7;
  v.producer_epoch = INT16_MAX - 1;
  v.transaction_timeout_ms = 1000;
  v.state = txn_state::complete_commit;
  c->replay("a", v);
  c->loaded();
  auto r = init("a");
  EXPECT_EQ(r.error, error_code::none);
  EXPECT_EQ(r.producer_id, 1000);
  EXPECT_EQ(r.producer_epoch, 0);
  EXPECT_EQ(c->metadata_of("a")->last_producer_id, 7);
}

TEST_F(coordinator_fixture, AFailedMarkerIsRetriedByTheTicker) {
  auto p = init("a");
  ASSERT_EQ(add("a", p, {{"t", 0}}), error_code::none);
  log.marker_error = error_code::kafka_storage_error;
  ASSERT_EQ(end("a", p.producer_id, p.producer_epoch, false), error_code::none);
  EXPECT_EQ(state_of("a"), txn_state::prepare_abort);
  log.marker_error = error_code::none;
  now += config.marker_retry_ms;
  c->tick(now);
  EXPECT_EQ(log.markers.size(), 2u);
  EXPECT_EQ(state_of("a"), txn_state::complete_abort);
}

TEST_F(coordinator_fixture, AMarkerForADeletedPartitionIsNotRetried) {
  auto p = init("a");
  ASSERT_EQ(add("a", p, {{"t", 0}}), error_code::none);
  log.marker_error = error_code::unknown_topic_or_partition;
  ASSERT_EQ(end("a", p.producer_id, p.producer_epoch, true), error_code::none);
  EXPECT_EQ(state_of("a"), txn_state::complete_commit);
}

TEST_F(coordinator_fixture, DescribeAndListShowTheTransactions) {
  auto p = init("a");
  ASSERT_EQ(add("a", p, {{"t", 1}, {"t", 0}}), error_code::none);
  init("b");
  auto d = c->describe("a");
  EXPECT_EQ(d.error, error_code::none);
  EXPECT_EQ(d.state, "Ongoing");
  EXPECT_EQ(d.partitions["t"], (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(c->describe("zz").error, error_code::transactional_id_not_found);
  EXPECT_EQ(c->list({}, {}, -1).size(), 2u);
  auto ongoing = c->list({"Ongoing"}, {}, -1);
  ASSERT_EQ(ongoing.size(), 1u);
  EXPECT_EQ(ongoing[0].transactional_id, "a");
  EXPECT_TRUE(c->list({"Nonsense"}, {}, -1).empty());
  EXPECT_TRUE(c->list({}, {p.producer_id + 99}, -1).empty());
  now += 100;
  EXPECT_EQ(c->list({"Ongoing"}, {}, 50).size(), 1u);
  EXPECT_TRUE(c->list({"Ongoing"}, {}, 100).empty());
}

TEST_F(coordinator_fixture, AfterShutdownRequestsAreNotCoordinator) {
  auto p = init("a");
  c->shutdown();
  EXPECT_EQ(init("a").error, error_code::not_coordinator);
  EXPECT_EQ(add("a", p, {{"t", 0}}), error_code::not_coordinator);
}

}  // namespace
}  // namespace samsa::broker::txn

// ---- transaction version 2 (KIP-890 part 2) -------------------------------------

namespace samsa::broker::txn {
namespace {

struct tv2_fixture : coordinator_fixture {
  std::optional<error_code> add2(const std::string& id, int64_t pid, int16_t epoch, std::vector<topic_partition_key> tps) {
    std::optional<error_code> out;
    c->add_partitions(id, pid, epoch, std::move(tps), [&](error_code e) { out = e; }, 2);
    return out;
  }
  std::optional<end_txn_result> end2(const std::string& id, int64_t pid, int16_t epoch, bool commit) {
    std::optional<end_txn_result> out;
    c->end_txn(id, pid, epoch, commit, 2, [&](end_txn_result r) { out = r; });
    return out;
  }
};

TEST_F(tv2_fixture, EveryCommitBumpsTheEpochAndTheMarkersCarryTheBumpedEpoch) {
  auto p = init("a");
  ASSERT_EQ(p.producer_epoch, 0);
  ASSERT_EQ(add2("a", p.producer_id, 0, {{"t", 0}}), error_code::none);
  EXPECT_EQ(log.last().value->client_transaction_version, 2);
  auto r = end2("a", p.producer_id, 0, true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->error, error_code::none);
  EXPECT_EQ(r->producer_id, p.producer_id);
  EXPECT_EQ(r->producer_epoch, 1);
  ASSERT_EQ(log.markers.size(), 1u);
  EXPECT_EQ(log.markers[0].producer_epoch, 1);
  EXPECT_EQ(state_of("a"), txn_state::complete_commit);
  EXPECT_EQ(c->metadata_of("a")->producer_epoch, 1);
  // The next transaction uses the new epoch; the old one is fenced.
  EXPECT_EQ(add2("a", p.producer_id, 0, {{"t", 0}}), error_code::producer_fenced);
  ASSERT_EQ(add2("a", p.producer_id, 1, {{"t", 1}}), error_code::none);
  r = end2("a", p.producer_id, 1, false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->error, error_code::none);
  EXPECT_EQ(r->producer_epoch, 2);
  EXPECT_EQ(log.markers.back().producer_epoch, 2);
  EXPECT_FALSE(log.markers.back().commit);
}

TEST_F(tv2_fixture, ARetriedEndTxnWithThePreviousEpochIsAnsweredWithTheCurrentOne) {
  auto p = init("a");
  ASSERT_EQ(add2("a", p.producer_id, 0, {{"t", 0}}), error_code::none);
  ASSERT_EQ(end2("a", p.producer_id, 0, true)->error, error_code::none);
  auto retry = end2("a", p.producer_id, 0, true);
  EXPECT_EQ(retry->error, error_code::none);
  EXPECT_EQ(retry->producer_epoch, 1);
  // The opposite outcome on a retry is INVALID_TXN_STATE; an older epoch is fenced.
  EXPECT_EQ(end2("a", p.producer_id, 0, false)->error, error_code::invalid_txn_state);
  ASSERT_EQ(add2("a", p.producer_id, 1, {{"t", 0}}), error_code::none);
  ASSERT_EQ(end2("a", p.producer_id, 1, true)->error, error_code::none);
  EXPECT_EQ(end2("a", p.producer_id, 0, true)->error, error_code::producer_fenced);
  // A commit with the current epoch and nothing ongoing: INVALID_TXN_STATE.
  EXPECT_EQ(end2("a", p.producer_id, 2, true)->error, error_code::invalid_txn_state);
}

TEST_F(tv2_fixture, WhileMarkersAreWrittenARetryIsConcurrentTransactions) {
  log.markers_at_once = false;
  auto p = init("a");
  ASSERT_EQ(add2("a", p.producer_id, 0, {{"t", 0}}), error_code::none);
  ASSERT_EQ(end2("a", p.producer_id, 0, true)->error, error_code::none);
  EXPECT_EQ(end2("a", p.producer_id, 0, true)->error, error_code::concurrent_transactions);
  // The bumped epoch is the current one but the transaction is not complete.
  EXPECT_EQ(add2("a", p.producer_id, 1, {{"t", 0}}), error_code::concurrent_transactions);
  log.complete_markers();
  EXPECT_EQ(add2("a", p.producer_id, 1, {{"t", 0}}), error_code::none);
}

TEST_F(tv2_fixture, AnAbortWithoutATransactionBumpsTheEpochAndWritesNoMarker) {
  auto p = init("a");
  auto r = end2("a", p.producer_id, 0, false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->error, error_code::none);
  EXPECT_EQ(r->producer_epoch, 1);
  EXPECT_EQ(state_of("a"), txn_state::complete_abort);
  // A retry of it is NONE; a commit of nothing is INVALID_TXN_STATE.
  EXPECT_EQ(end2("a", p.producer_id, 0, false)->error, error_code::none);
  EXPECT_EQ(end2("a", p.producer_id, 1, true)->error, error_code::invalid_txn_state);
  // Abort from CompleteAbort with the current epoch bumps again.
  EXPECT_EQ(end2("a", p.producer_id, 1, false)->producer_epoch, 2);
}

TEST_F(tv2_fixture, TheEpochOverflowMovesToTheNextProducerIdAtEpochZero) {
  auto p = init("a");
  // Put the id at the last usable epoch, as a restart from the log would.
  txn_log_value v;
  v.producer_id = p.producer_id;
  v.producer_epoch = INT16_MAX - 1;
  v.transaction_timeout_ms = 60000;
  v.state = txn_state::complete_commit;
  v.client_transaction_version = 2;
  c->replay("a", v);
  ASSERT_EQ(add2("a", p.producer_id, INT16_MAX - 1, {{"t", 0}}), error_code::none);
  auto r = end2("a", p.producer_id, INT16_MAX - 1, true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->error, error_code::none);
  EXPECT_NE(r->producer_id, p.producer_id);
  EXPECT_EQ(r->producer_epoch, 0);
  // The markers carry the old producer id at the bumped (last) epoch.
  EXPECT_EQ(log.markers.back().producer_id, p.producer_id);
  EXPECT_EQ(log.markers.back().producer_epoch, INT16_MAX);
  // The Prepare record kept the next producer id; Complete applied it.
  EXPECT_EQ(log.records[log.records.size() - 2].value->next_producer_id, r->producer_id);
  auto md = c->metadata_of("a").value();
  EXPECT_EQ(md.producer_id, r->producer_id);
  EXPECT_EQ(md.producer_epoch, 0);
  EXPECT_EQ(md.last_producer_id, p.producer_id);
  // A retry with the old id and its last epoch is answered with the new ones.
  auto retry = end2("a", p.producer_id, INT16_MAX - 1, true);
  EXPECT_EQ(retry->error, error_code::none);
  EXPECT_EQ(retry->producer_id, r->producer_id);
  EXPECT_EQ(retry->producer_epoch, 0);
}

TEST_F(tv2_fixture, FencingAVersionTwoTransactionAbortsItAboveTheFencedEpoch) {
  auto p = init("a");
  ASSERT_EQ(add2("a", p.producer_id, 0, {{"t", 0}}), error_code::none);
  EXPECT_EQ(init("a").error, error_code::concurrent_transactions);
  // prepareFenceProducerEpoch (1), then version 2's bump of the abort (2).
  EXPECT_EQ(log.markers.back().producer_epoch, 2);
  EXPECT_FALSE(log.markers.back().commit);
  auto again = init("a");
  EXPECT_EQ(again.error, error_code::none);
  EXPECT_EQ(again.producer_epoch, 3);
  EXPECT_EQ(end2("a", p.producer_id, 0, false)->error, error_code::producer_fenced);
}

TEST_F(tv2_fixture, AVersionOneTransactionEndedByEndTxnBelowFiveKeepsItsEpoch) {
  auto p = init("a");
  ASSERT_EQ(add("a", p, {{"t", 0}}), error_code::none);
  EXPECT_EQ(end("a", p.producer_id, 0, true), error_code::none);
  EXPECT_EQ(c->metadata_of("a")->producer_epoch, 0);
  EXPECT_EQ(log.markers.back().producer_epoch, 0);
  EXPECT_EQ(c->metadata_of("a")->client_txn_version, 0);
}

TEST_F(tv2_fixture, TheClientTransactionVersionSurvivesARestart) {
  auto p = init("a");
  ASSERT_EQ(add2("a", p.producer_id, 0, {{"t", 0}}), error_code::none);
  auto restarted = make(false);
  for (const auto& r : log.records) restarted->replay(r.transactional_id, r.value);
  restarted->loaded();
  EXPECT_EQ(restarted->metadata_of("a")->client_txn_version, 2);
  EXPECT_EQ(restarted->metadata_of("a")->state, txn_state::ongoing);
}

}  // namespace
}  // namespace samsa::broker::txn
