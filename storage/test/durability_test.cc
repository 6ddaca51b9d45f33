// Group commit, clean close, and recovery after a crash.

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "storage/checkpoint/checkpoint_file.h"
#include "storage/test/log_fixture.h"

namespace samsa::storage {
namespace {

using namespace testing;

class Durability : public log_fixture {
 protected:
  void SetUp() override {
    log_fixture::SetUp();
    open();
  }
};

TEST_F(Durability, ManyFlushRequestsShareOneFsync) {
  append(simple_batch(2));
  ASSERT_TRUE(flush_all());  // the directory, segment and epoch checkpoint are synced once
  const uint64_t before = fs.file_syncs();
  int completed = 0;
  for (int i = 0; i < 50; ++i) {
    append_info a = append(simple_batch(2));
    log->request_flush(offset{a.last_offset.value() + 1}, [&](status s) {
      EXPECT_TRUE(s);
      ++completed;
    });
  }
  EXPECT_EQ(completed, 0);  // nothing is durable until the worker runs
  flusher->run_pending();
  EXPECT_EQ(completed, 50);
  EXPECT_EQ(fs.file_syncs() - before, 1u);
  EXPECT_EQ(log->recovery_point(), offset{102});
}

TEST_F(Durability, AppendsStartWritingBackWholePagesOnlyWhileAFlushIsAwaited) {
  // ~33 KiB per batch: 32 records of 1 KiB.
  uint64_t written = 0;
  for (int i = 0; i < 12; ++i) written += append(simple_batch(32, 1000)).valid_bytes;
  EXPECT_TRUE(fs.writeback_hints().empty()) << "nobody waits for durability yet";

  append_info awaited = append(simple_batch(32, 1000));
  written += awaited.valid_bytes;
  log->request_flush(offset{awaited.last_offset.value() + 1}, nullptr);
  for (int i = 0; i < 80; ++i) written += append(simple_batch(32, 1000)).valid_bytes;  // ~2.6 MB
  const auto hints = fs.writeback_hints();
  ASSERT_GE(hints.size(), 2u);
  uint64_t expected_start = 0;
  for (const auto& [offset, length] : hints) {
    EXPECT_EQ(offset, expected_start) << "each hint starts where the one before ended";
    EXPECT_EQ(offset % 4096, 0u);
    EXPECT_EQ(length % 4096, 0u) << "whole pages only: the next append writes into the last one";
    EXPECT_GE(length, segment::kMinWritebackStep);
    expected_start = offset + length;
  }
  EXPECT_LE(expected_start, written);

  flusher->run_pending();  // nothing is awaited any more
  const size_t after_flush = fs.writeback_hints().size();
  for (int i = 0; i < 80; ++i) append(simple_batch(32, 1000));
  EXPECT_EQ(fs.writeback_hints().size(), after_flush);
}

TEST_F(Durability, CallbacksRunOnTheWorkerThread) {
  flusher->start();
  append(simple_batch(1));
  std::promise<std::thread::id> where;
  log->request_flush(offset{1}, [&](status s) {
    EXPECT_TRUE(s);
    where.set_value(std::this_thread::get_id());
  });
  auto id = where.get_future().get();
  EXPECT_NE(id, std::this_thread::get_id());
  flusher->stop();
}

TEST_F(Durability, WhatWasFlushedSurvivesPowerLossAndWhatWasNotMayNot) {
  append(simple_batch(3));
  ASSERT_TRUE(flush_all());
  append(simple_batch(3));
  crash_and_reopen(1, io::crash_mode::drop_unsynced);
  EXPECT_EQ(log->log_end_offset(), offset{3});
  EXPECT_EQ(read_all(*log).size(), 3u);
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
}

TEST_F(Durability, RecoveryCutsATornTailAndKeepsEveryWholeBatchBeforeIt) {
  for (uint64_t seed = 0; seed < 40; ++seed) {
    fs.crash(seed, io::crash_mode::drop_unsynced);  // start each round clean
    log = nullptr;
    ASSERT_TRUE(fs.exists("/data"));
    open();
    const int64_t base = log->log_end_offset().value();
    for (int i = 0; i < 3; ++i) append(simple_batch(5, 700));
    ASSERT_TRUE(flush_all());
    for (int i = 0; i < 5; ++i) append(simple_batch(5, 700));
    crash_and_reopen(seed, io::crash_mode::random_pages_and_tear);
    ASSERT_TRUE(log);
    EXPECT_GE(log->log_end_offset().value(), base + 15) << "seed " << seed;
    EXPECT_TRUE(log->check_consistency()) << "seed " << seed << ": " << log->check_consistency().error();
    ASSERT_TRUE(flush_all());
  }
}

TEST_F(Durability, ACleanCloseKeepsEverythingAndTheNextOpenTrustsIt) {
  config.segment_bytes = 2000;
  log->update_config(config);
  for (int i = 0; i < 20; ++i) append(simple_batch(2, 100));
  append(idempotent_batch(9, 1, 0, 2));
  log->update_high_watermark(offset{30});
  reopen_clean();
  ASSERT_TRUE(log);
  EXPECT_EQ(log->log_end_offset(), offset{42});
  EXPECT_EQ(log->recovery_point(), offset{42});
  EXPECT_EQ(log->high_watermark(), offset{30});
  EXPECT_EQ(read_all(*log).size(), 42u);
  auto p = log->producer_state(producer_id{9});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->last_seq(), 1);
  EXPECT_TRUE(append(idempotent_batch(9, 1, 0, 2)).duplicate);
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
}

TEST_F(Durability, RecoveryRebuildsProducerStateSoRetriesStayDeduplicated) {
  append(idempotent_batch(5, 0, 0, 2));
  append(idempotent_batch(5, 0, 2, 2));
  ASSERT_TRUE(flush_all());
  crash_and_reopen(3, io::crash_mode::keep_unsynced);
  EXPECT_TRUE(append(idempotent_batch(5, 0, 2, 2)).duplicate);
  EXPECT_EQ(try_append(idempotent_batch(5, 0, 7, 1), 0).code(), errc::out_of_order_sequence);
}

TEST_F(Durability, AfterRecoveryOnlyTheLastBatchOfAProducerIsRecognisedAsADuplicateAsInKafka) {
  // Kafka's recovery snapshots the producer state at the end of each recovered
  // segment and reloads it; a snapshot keeps one batch per producer. A retry of
  // an earlier batch is then OUT_OF_ORDER_SEQUENCE_NUMBER on Kafka too.
  for (int i = 0; i < 6; ++i) append(idempotent_batch(5, 0, 2 * i, 2));
  crash_and_reopen(3, io::crash_mode::keep_unsynced);
  EXPECT_TRUE(append(idempotent_batch(5, 0, 10, 2)).duplicate);
  EXPECT_EQ(try_append(idempotent_batch(5, 0, 8, 2), 0).code(), errc::out_of_order_sequence);
}

TEST_F(Durability, RecoveryStartsAtTheRecoveryPointSegmentAndChecksTheTailsBeforeIt) {
  config.segment_bytes = 1500;
  log->update_config(config);
  for (int i = 0; i < 12; ++i) append(simple_batch(2, 200));
  ASSERT_TRUE(flush_all());
  const offset rp = log->recovery_point();
  ASSERT_EQ(rp, log->log_end_offset());
  for (int i = 0; i < 4; ++i) append(simple_batch(2, 200));
  crash_and_reopen(9, io::crash_mode::random_pages_and_tear, rp);
  EXPECT_GE(log->log_end_offset(), rp);
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
}

TEST_F(Durability, TheLeaderEpochCheckpointIsWrittenBeforeTheRecoveryPointPassesTheEpoch) {
  append(simple_batch(1), 2);
  ASSERT_TRUE(flush_all());
  auto entries = read_leader_epoch_checkpoint(fs, dir + "/leader-epoch-checkpoint");
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0], (epoch_entry{leader_epoch{2}, offset{0}}));
}

TEST_F(Durability, FlushMessagesMakesTheLogFlushByItself) {
  config.flush_messages = 4;
  log->update_config(config);
  append(simple_batch(2));
  flusher->run_pending();
  EXPECT_EQ(log->recovery_point(), offset{0});
  append(simple_batch(2));
  flusher->run_pending();
  EXPECT_EQ(log->recovery_point(), offset{4});
}

TEST_F(Durability, RollingFlushesTheSealedSegmentInTheBackground) {
  append(simple_batch(2));
  ASSERT_TRUE(log->roll());
  flusher->run_pending();
  EXPECT_EQ(log->recovery_point(), offset{2});
}

TEST_F(Durability, TruncationFailsFlushRequestsAboveIt) {
  append(simple_batch(5));
  std::optional<errc> result;
  log->request_flush(offset{5}, [&](status s) { result = s ? std::optional<errc>() : s.code(); });
  ASSERT_TRUE(log->truncate_to(offset{2}));
  flusher->run_pending();
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, errc::log_truncated);
}

TEST_F(Durability, AFailedFsyncTakesTheLogOfflineAndFailsItsWaiters) {
  append(simple_batch(2));
  fs.inject_error(io::fault_op::sync, ".log", 1);
  std::optional<status> result;
  log->request_flush(offset{2}, [&](status s) { result = s; });
  flusher->run_pending();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->code(), errc::io_error);
  EXPECT_TRUE(log->failed());
  EXPECT_EQ(try_append(simple_batch(1), 0).code(), errc::io_error);
}

TEST_F(Durability, AFailedWriteLeavesNoPartOfTheBatchBehind) {
  append(simple_batch(2));
  fs.inject_error(io::fault_op::pwrite, ".log", 1);
  EXPECT_EQ(try_append(simple_batch(2), 0).code(), errc::io_error);
  EXPECT_EQ(log->log_end_offset(), offset{2});
}

TEST_F(Durability, FlushRequestsOnAClosedLogFail) {
  log->close_without_flush();
  std::optional<status> result;
  log->request_flush(offset{0}, [&](status s) { result = s; });
  flusher->run_pending();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->code(), errc::log_closed);
}

}  // namespace
}  // namespace samsa::storage
