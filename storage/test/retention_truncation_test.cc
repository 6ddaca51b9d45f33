// Retention, log start offset, truncation and transactions.

#include <gtest/gtest.h>

#include "storage/test/log_fixture.h"

namespace samsa::storage {
namespace {

using namespace testing;

class Retention : public log_fixture {
 protected:
  void SetUp() override {
    log_fixture::SetUp();
    config.segment_bytes = 1000;
    open();
  }
  // Appends `n` two-record batches with timestamps `ts`, one segment each (~300 bytes).
  void fill(int n, int64_t ts) {
    for (int i = 0; i < n; ++i) {
      append(simple_batch(2, 300, ts));
      ASSERT_TRUE(log->roll());
    }
  }
};

TEST_F(Retention, RetentionMsDeletesSegmentsWhoseNewestRecordIsTooOld) {
  config.retention_ms = 60'000;
  log->update_config(config);
  fill(3, kT0);
  fill(2, kT0 + 100'000);
  log->update_high_watermark(log->log_end_offset());
  clock.set_ms(kT0 + 100'000);
  auto n = log->delete_old_segments();
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 3);
  EXPECT_EQ(log->log_start_offset(), offset{6});
  EXPECT_EQ(read_all(*log).front().offset, 6);
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
}

TEST_F(Retention, NothingAtOrAboveTheHighWatermarkIsDeleted) {
  config.retention_ms = 1;
  log->update_config(config);
  fill(4, kT0);
  log->update_high_watermark(offset{3});
  clock.advance_ms(1'000'000);
  EXPECT_EQ(*log->delete_old_segments(), 1);
  EXPECT_EQ(log->log_start_offset(), offset{2});
}

TEST_F(Retention, RetentionBytesDeletesTheOldestSegmentsOverTheLimit) {
  config.retention_ms = -1;
  config.retention_bytes = 700;
  log->update_config(config);
  fill(5, kT0);
  log->update_high_watermark(log->log_end_offset());
  const uint64_t seg = simple_batch(2, 300).size();
  ASSERT_EQ(log->size_bytes(), seg * 5);
  // Kafka deletes whole segments while the log stays at or above the limit.
  EXPECT_EQ(*log->delete_old_segments(), 3);
  EXPECT_EQ(log->size_bytes(), seg * 2);
}

TEST_F(Retention, WhenEverySegmentExpiresAnEmptyActiveSegmentRemainsAtTheLogEnd) {
  config.retention_ms = 1000;
  log->update_config(config);
  append(simple_batch(2, 10, kT0));
  append(simple_batch(2, 10, kT0));
  log->update_high_watermark(log->log_end_offset());
  clock.advance_ms(10'000);
  EXPECT_EQ(*log->delete_old_segments(), 1);
  EXPECT_EQ(log->number_of_segments(), 1u);
  EXPECT_EQ(log->log_start_offset(), offset{4});
  EXPECT_EQ(log->log_end_offset(), offset{4});
  EXPECT_EQ(append(simple_batch(1)).first_offset, offset{4});
}

TEST_F(Retention, DeleteRecordsThenRetentionRemovesTheSegmentsBelowTheLogStart) {
  config.cleanup_delete = false;
  config.cleanup_compact = true;
  log->update_config(config);
  fill(4, kT0);
  log->update_high_watermark(log->log_end_offset());
  ASSERT_TRUE(log->maybe_increment_log_start_offset(offset{5}));
  EXPECT_EQ(*log->delete_old_segments(), 2);
  EXPECT_EQ(log->segment_base_offsets().front(), offset{4});
}

TEST_F(Retention, DeletedSegmentFilesDisappearAfterTheDelay) {
  config.retention_ms = 1;
  log->update_config(config);
  fill(2, kT0);
  log->update_high_watermark(log->log_end_offset());
  clock.advance_ms(10);
  ASSERT_EQ(*log->delete_old_segments(), 2);
  // The fixture's log deletes at once (no delay queue); renamed files are gone.
  EXPECT_FALSE(fs.exists(dir + "/00000000000000000000.log"));
  EXPECT_FALSE(fs.exists(dir + "/00000000000000000000.log.deleted"));
}

class Truncation : public log_fixture {
 protected:
  void SetUp() override {
    log_fixture::SetUp();
    config.segment_bytes = 800;
    open();
  }
};

TEST_F(Truncation, TruncateToRemovesEverythingFromTheTargetOffset) {
  for (int i = 0; i < 10; ++i) append(simple_batch(2, 200), i < 5 ? 1 : 2);
  ASSERT_GT(log->number_of_segments(), 2u);
  log->update_high_watermark(offset{20});
  auto r = log->truncate_to(offset{8});
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r);
  EXPECT_EQ(log->log_end_offset(), offset{8});
  EXPECT_EQ(log->high_watermark(), offset{8});
  EXPECT_EQ(read_all(*log).size(), 8u);
  EXPECT_EQ(log->latest_epoch(), leader_epoch{1});
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
  EXPECT_EQ(append(simple_batch(1), 3).first_offset, offset{8});
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
}

TEST_F(Truncation, ATargetInsideABatchRemovesTheWholeBatchWithoutLeavingAGap) {
  append(simple_batch(5));
  append(simple_batch(5));
  ASSERT_TRUE(*log->truncate_to(offset{7}));
  EXPECT_EQ(log->log_end_offset(), offset{5});
  EXPECT_EQ(append(simple_batch(1)).first_offset, offset{5});
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
}

TEST_F(Truncation, TruncatingAboveTheEndChangesNothing) {
  append(simple_batch(2));
  EXPECT_FALSE(*log->truncate_to(offset{10}));
  EXPECT_EQ(log->log_end_offset(), offset{2});
  EXPECT_EQ(log->truncate_to(offset{-1}).code(), errc::invalid_argument);
}

TEST_F(Truncation, TruncationRestoresTheProducerStateAtTheTarget) {
  append(idempotent_batch(3, 0, 0, 2));
  append(idempotent_batch(3, 0, 2, 2));
  ASSERT_TRUE(log->truncate_to(offset{2}));
  auto p = log->producer_state(producer_id{3});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->last_seq(), 1);
  EXPECT_FALSE(append(idempotent_batch(3, 0, 2, 2)).duplicate);
}

TEST_F(Truncation, TruncateFullyStartsAnEmptyLogAtTheNewOffset) {
  for (int i = 0; i < 6; ++i) append(simple_batch(2, 200));
  ASSERT_TRUE(log->truncate_fully_and_start_at(offset{100}));
  EXPECT_EQ(log->log_start_offset(), offset{100});
  EXPECT_EQ(log->log_end_offset(), offset{100});
  EXPECT_EQ(log->number_of_segments(), 1u);
  EXPECT_FALSE(log->latest_epoch());
  EXPECT_EQ(append(simple_batch(1)).first_offset, offset{100});
}

TEST_F(Truncation, AFollowerTruncatesAndAppendsTheLeadersVersion) {
  batch_spec s;
  s.records = {{"a", "1"}, {"b", "2"}};
  for (int64_t base : {0, 2, 4}) {
    s.base_offset = base;
    s.leader_epoch = base < 4 ? 1 : 2;
    ASSERT_TRUE(log->append_as_follower(make_batch(s)));
  }
  // The new leader never had epoch 2: OffsetForLeaderEpoch(2) says epoch 1 ended at 4.
  ASSERT_TRUE(log->truncate_to(offset{4}));
  s.base_offset = 4;
  s.leader_epoch = 3;
  ASSERT_TRUE(log->append_as_follower(make_batch(s)));
  EXPECT_EQ(log->end_offset_for_epoch(leader_epoch{1}), (epoch_end_offset{leader_epoch{1}, offset{4}}));
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
}

class Transactions : public log_fixture {
 protected:
  void SetUp() override {
    log_fixture::SetUp();
    open();
  }
};

TEST_F(Transactions, TheLastStableOffsetStopsAtTheFirstOpenTransaction) {
  append(simple_batch(2));                                   // 0,1
  append(idempotent_batch(11, 0, 0, 2, true));               // 2,3 open txn
  append(simple_batch(2));                                   // 4,5
  log->update_high_watermark(offset{6});
  EXPECT_EQ(log->last_stable_offset(), offset{2});
  auto committed = log->read(offset{0}, 1 << 20, fetch_isolation::txn_committed, true);
  ASSERT_TRUE(committed);
  EXPECT_EQ(records_of(contents(*committed)).size(), 2u);
  append(marker_batch(11, 0, true), 0, append_origin::coordinator);  // 6
  EXPECT_EQ(log->last_stable_offset(), offset{2});  // the marker is not below the high watermark yet
  log->update_high_watermark(offset{7});
  EXPECT_EQ(log->last_stable_offset(), offset{7});
}

TEST_F(Transactions, AbortedTransactionsAreIndexedAndReturnedToReadCommittedFetches) {
  append(idempotent_batch(11, 0, 0, 2, true));               // 0,1
  append(idempotent_batch(12, 0, 0, 1, true));               // 2
  append(marker_batch(11, 0, false), 0, append_origin::coordinator);  // 3: abort 11
  append(marker_batch(12, 0, true), 0, append_origin::coordinator);   // 4: commit 12
  log->update_high_watermark(offset{5});
  auto r = log->read(offset{0}, 1 << 20, fetch_isolation::txn_committed, true);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->aborted_transactions);
  ASSERT_EQ(r->aborted_transactions->size(), 1u);
  const aborted_txn& t = r->aborted_transactions->front();
  EXPECT_EQ(t.producer_id, producer_id{11});
  EXPECT_EQ(t.first_offset, offset{0});
  EXPECT_EQ(t.last_offset, offset{3});
  EXPECT_EQ(t.last_stable_offset, offset{2});  // producer 12's transaction was still open
  // The index survives a clean close and a crash (rebuilt by recovery).
  reopen_clean();
  EXPECT_EQ(log->collect_aborted_transactions(offset{0}, offset{5})->size(), 1u);
  crash_and_reopen(1, io::crash_mode::keep_unsynced);
  EXPECT_EQ(log->collect_aborted_transactions(offset{0}, offset{5})->size(), 1u);
}

TEST_F(Transactions, ClientsCannotWriteMarkers) {
  EXPECT_EQ(try_append(marker_batch(1, 0, true), 0).code(), errc::invalid_record);
}

}  // namespace
}  // namespace samsa::storage
