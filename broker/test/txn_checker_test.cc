// The transaction checker's check, fed by hand: a correct reading passes, and
// each kind of broken reading (an aborted record, a lost or duplicated
// committed record, a torn transaction, reordering) is reported.

#include <gtest/gtest.h>

#include "broker/test/txn_checker_history.h"

namespace samsa::broker::testing::txn {
namespace {

const char* kLog =
    "INIT 0\n"
    "BEGIN 0\nCOMMITTING 0 2\nCOMMITTED 0\n"   // committed: a/0 and b/1
    "BEGIN 1\nABORTING 1 2\nABORTED 1\n"       // aborted
    "BEGIN 2\nCOMMITTING 2 2\nERROR 2 commit: _TIMED_OUT retriable\n"  // unknown (killed)
    "BEGIN 3\n";                               // never ended: aborted

std::string rec(int64_t txn, int i, int n, const std::string& topic, int32_t p) {
  return value_of({0, txn, i, n, topic, p});
}

history make_history() {
  history h;
  EXPECT_EQ(add_producer_log(h, 0, kLog, 0), 4);
  return h;
}

reading good_reading() {
  reading r;
  r[{"a", 0}] = {{0, rec(0, 0, 2, "a", 0)}};
  r[{"b", 1}] = {{0, rec(0, 1, 2, "b", 1)}};
  return r;
}

TEST(TxnChecker, TheProducerLogGivesEachTransactionItsOutcome) {
  const history h = make_history();
  ASSERT_EQ(h.size(), 4u);
  EXPECT_EQ(h.at({0, 0}).result, outcome::committed);
  EXPECT_EQ(h.at({0, 1}).result, outcome::aborted);
  EXPECT_EQ(h.at({0, 2}).result, outcome::unknown);
  EXPECT_EQ(h.at({0, 3}).result, outcome::aborted);
}

TEST(TxnChecker, APartialLastLineOfAKilledProducerIsIgnored) {
  history h;
  EXPECT_EQ(add_producer_log(h, 1, "BEGIN 5\nCOMMITTING 5 3\nCOMMIT", 5), 6);
  EXPECT_EQ(h.at({1, 5}).result, outcome::unknown);
}

TEST(TxnChecker, AnAbortAfterAFailedCommitLeavesTheOutcomeUnknownUntilAborted) {
  history h;
  add_producer_log(h, 0, "BEGIN 0\nCOMMITTING 0 2\nABORTING 0 2\n", 0);
  EXPECT_EQ(h.at({0, 0}).result, outcome::unknown);
  add_producer_log(h, 0, "ABORTED 0\n", 1);
  EXPECT_EQ(h.at({0, 0}).result, outcome::aborted);
}

TEST(TxnChecker, ACorrectReadingPasses) {
  const check_result c = check(make_history(), good_reading());
  EXPECT_TRUE(c.ok()) << c.violations.front();
  EXPECT_EQ(c.committed, 1);
  EXPECT_EQ(c.unknown, 1);
}

TEST(TxnChecker, AnUnknownTransactionMayBeFullyVisible) {
  reading r = good_reading();
  r[{"a", 0}].push_back({5, rec(2, 0, 2, "a", 0)});
  r[{"b", 1}].push_back({5, rec(2, 1, 2, "b", 1)});
  const check_result c = check(make_history(), r);
  EXPECT_TRUE(c.ok());
  EXPECT_EQ(c.unknown_visible, 1);
}

TEST(TxnChecker, ARecordOfAnAbortedTransactionFails) {
  reading r = good_reading();
  r[{"a", 0}].push_back({3, rec(1, 0, 2, "a", 0)});
  const check_result c = check(make_history(), r);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.violations[0].find("ABORTED"), std::string::npos) << c.violations[0];
}

TEST(TxnChecker, ARecordOfATransactionThatNeverEndedFails) {
  reading r = good_reading();
  r[{"a", 0}].push_back({3, rec(3, 0, 1, "a", 0)});
  EXPECT_FALSE(check(make_history(), r).ok());
}

TEST(TxnChecker, ALostCommittedRecordFails) {
  reading r = good_reading();
  r[{"b", 1}].clear();
  const check_result c = check(make_history(), r);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.violations[0].find("COMMITTED with 2 records, 1 read"), std::string::npos) << c.violations[0];
}

TEST(TxnChecker, ACommittedRecordReadTwiceFails) {
  reading r = good_reading();
  r[{"a", 0}].push_back({1, rec(0, 0, 2, "a", 0)});
  EXPECT_FALSE(check(make_history(), r).ok());
}

TEST(TxnChecker, APartlyVisibleUnknownTransactionFails) {
  reading r = good_reading();
  r[{"a", 0}].push_back({5, rec(2, 0, 2, "a", 0)});
  const check_result c = check(make_history(), r);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.violations[0].find("partially visible"), std::string::npos) << c.violations[0];
}

TEST(TxnChecker, RecordsOutOfProducerOrderInAPartitionFail) {
  history h;
  add_producer_log(h, 0, "BEGIN 0\nCOMMITTING 0 1\nCOMMITTED 0\nBEGIN 1\nCOMMITTING 1 1\nCOMMITTED 1\n", 0);
  reading r;
  r[{"a", 0}] = {{0, rec(1, 0, 1, "a", 0)}, {2, rec(0, 0, 1, "a", 0)}};
  const check_result c = check(h, r);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.violations[0].find("out of order"), std::string::npos) << c.violations[0];
}

TEST(TxnChecker, DecreasingOffsetsFail) {
  history h;
  add_producer_log(h, 0, "BEGIN 0\nCOMMITTING 0 2\nCOMMITTED 0\n", 0);
  reading r;
  r[{"a", 0}] = {{4, rec(0, 0, 2, "a", 0)}, {4, rec(0, 1, 2, "a", 0)}};
  EXPECT_FALSE(check(h, r).ok());
}

TEST(TxnChecker, ARecordInAnotherPartitionThanItWasSentToFails) {
  reading r = good_reading();
  r[{"b", 1}].clear();
  r[{"b", 2}] = {{0, rec(0, 1, 2, "b", 1)}};
  EXPECT_FALSE(check(make_history(), r).ok());
}

TEST(TxnChecker, RecordValuesRoundTrip) {
  const record_id id{7, 123456789012, 3, 5, "txnchk-s1-99-a", 2};
  const auto back = parse_value(value_of(id));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->producer, 7);
  EXPECT_EQ(back->txn, 123456789012);
  EXPECT_EQ(back->index, 3);
  EXPECT_EQ(back->count, 5);
  EXPECT_EQ(back->topic, "txnchk-s1-99-a");
  EXPECT_EQ(back->partition, 2);
  EXPECT_FALSE(parse_value("garbage").has_value());
  EXPECT_FALSE(parse_value("p1:t2:i5:n5:a/0").has_value());  // index out of range
}

}  // namespace
}  // namespace samsa::broker::testing::txn
