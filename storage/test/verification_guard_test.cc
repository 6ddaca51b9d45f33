// Kafka's VerificationGuard (UnifiedLog.maybeStartTransactionVerification,
// ProducerStateManager's VerificationStateEntry): a transactional batch
// verified with the coordinator just before the transaction's abort marker
// must not be appended after that marker (a hanging transaction).

#include <gtest/gtest.h>

#include "storage/test/log_fixture.h"

namespace samsa::storage {
namespace {

using namespace testing;

class VerificationGuard : public log_fixture {
 protected:
  void SetUp() override {
    log_fixture::SetUp();
    open();
  }
  result<append_info> append_guarded(std::vector<uint8_t> batch, uint64_t guard) {
    return log->append_as_leader(batch, samsa::leader_epoch{0}, append_origin::client, guard);
  }
  static constexpr int64_t kPid = 7;
};

TEST_F(VerificationGuard, AVerifiedFirstBatchIsAppendedWithItsGuard) {
  const uint64_t guard = log->maybe_start_transaction_verification(producer_id{kPid});
  EXPECT_NE(guard, 0u);
  ASSERT_TRUE(append_guarded(idempotent_batch(kPid, 0, 0, 2, true), guard));
  // The transaction is ongoing: later batches need no guard (the sentinel).
  EXPECT_EQ(log->maybe_start_transaction_verification(producer_id{kPid}), 0u);
  EXPECT_TRUE(append_guarded(idempotent_batch(kPid, 0, 2, 1, true), 0));
}

TEST_F(VerificationGuard, AnAbortMarkerBetweenVerificationAndAppendRefusesTheAppend) {
  // The race, step by step: the produce path starts verification (the guard),
  // the coordinator says the partition is in the transaction...
  const uint64_t guard = log->maybe_start_transaction_verification(producer_id{kPid});
  // ...the transaction is aborted (timeout or fence) and its marker lands...
  append(marker_batch(kPid, 1, false), 0, append_origin::coordinator);
  // ...and only then the verified batch arrives: it would open a transaction
  // the coordinator no longer knows about. Kafka: INVALID_TXN_STATE.
  auto late = append_guarded(idempotent_batch(kPid, 1, 0, 1, true), guard);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.code(), errc::invalid_txn_state);
  EXPECT_EQ(log->log_end_offset(), offset{1});  // only the marker
  EXPECT_FALSE(log->first_unstable_offset());
}

TEST_F(VerificationGuard, AStaleGuardFromAnEarlierVerificationIsRefused) {
  // ABA: verification 1, its marker, verification 2; the answer of 1 arrives.
  const uint64_t first = log->maybe_start_transaction_verification(producer_id{kPid});
  append(marker_batch(kPid, 1, false), 0, append_origin::coordinator);
  const uint64_t second = log->maybe_start_transaction_verification(producer_id{kPid});
  EXPECT_NE(first, second);
  EXPECT_EQ(append_guarded(idempotent_batch(kPid, 1, 0, 1, true), first).code(), errc::invalid_txn_state);
  EXPECT_TRUE(append_guarded(idempotent_batch(kPid, 1, 0, 1, true), second));
}

TEST_F(VerificationGuard, WithoutAGuardAFirstTransactionalBatchIsRefusedWhenVerificationIsRequired) {
  EXPECT_EQ(append_guarded(idempotent_batch(kPid, 0, 0, 1, true), 0).code(), errc::invalid_txn_state);
  // Not checked at all when the caller does not verify (nullopt).
  EXPECT_TRUE(try_append(idempotent_batch(kPid, 0, 0, 1, true)));
}

TEST_F(VerificationGuard, RepeatedVerificationsOfOneProducerShareTheGuardUntilAnAppend) {
  const uint64_t a = log->maybe_start_transaction_verification(producer_id{kPid});
  EXPECT_EQ(log->maybe_start_transaction_verification(producer_id{kPid}), a);
  ASSERT_TRUE(append_guarded(idempotent_batch(kPid, 0, 0, 1, true), a));
  append(marker_batch(kPid, 0, true), 0, append_origin::coordinator);
  EXPECT_NE(log->maybe_start_transaction_verification(producer_id{kPid}), a);
}

TEST_F(VerificationGuard, LingeringVerificationsExpireWithProducers) {
  const uint64_t guard = log->maybe_start_transaction_verification(producer_id{kPid});
  log->remove_expired_producers(clock.now_ms() + 365LL * 24 * 3600 * 1000);
  EXPECT_EQ(append_guarded(idempotent_batch(kPid, 0, 0, 1, true), guard).code(), errc::invalid_txn_state);
}

}  // namespace
}  // namespace samsa::storage
