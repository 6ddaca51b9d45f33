#include <gtest/gtest.h>

#include "storage/io/fault_injection_file_system.h"
#include "storage/producer/producer_snapshot.h"
#include "storage/producer/producer_state_manager.h"

namespace samsa::storage {
namespace {

constexpr producer_id kPid{42};

status append(producer_state_manager& m, producer_epoch e, int32_t first_seq, int32_t count, int64_t first_offset,
              append_origin origin = append_origin::client, bool txn = false) {
  producer_append_info info = m.prepare_update(kPid, origin);
  const int32_t last_seq = increment_sequence(first_seq, count - 1);
  if (auto s = info.append_data_batch(e, first_seq, last_seq, 1000, offset{first_offset},
                                      offset{first_offset + count - 1}, txn);
      !s) {
    return s;
  }
  m.update(info);
  return {};
}

class ProducerState : public ::testing::Test {
 protected:
  void SetUp() override { fs.make_dirs_durable("/p"); }
  io::fault_injection_file_system fs;
  producer_state_manager m{fs, "/p", 86'400'000};
};

TEST_F(ProducerState, AcceptsConsecutiveSequencesAndRemembersTheLastFiveBatches) {
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(append(m, producer_epoch{0}, i * 2, 2, i * 2));
  const producer_state_entry* e = m.last_entry(kPid);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->batches().size(), 5u);
  EXPECT_EQ(e->last_seq(), 13);
  EXPECT_EQ(e->first_seq(), 4);
}

TEST_F(ProducerState, FindsADuplicateWithItsOriginalOffsets) {
  ASSERT_TRUE(append(m, producer_epoch{0}, 0, 3, 100));
  ASSERT_TRUE(append(m, producer_epoch{0}, 3, 2, 200));
  auto dup = m.last_entry(kPid)->find_duplicate(producer_epoch{0}, 0, 2);
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->first_offset(), offset{100});
  EXPECT_EQ(dup->last_offset, offset{102});
  EXPECT_FALSE(m.last_entry(kPid)->find_duplicate(producer_epoch{1}, 0, 2));
}

TEST_F(ProducerState, RejectsAGapInSequences) {
  ASSERT_TRUE(append(m, producer_epoch{0}, 0, 1, 0));
  EXPECT_EQ(append(m, producer_epoch{0}, 2, 1, 1).code(), errc::out_of_order_sequence);
}

TEST_F(ProducerState, ANewEpochMustStartAtSequenceZero) {
  ASSERT_TRUE(append(m, producer_epoch{0}, 0, 5, 0));
  EXPECT_EQ(append(m, producer_epoch{1}, 5, 1, 5).code(), errc::out_of_order_sequence);
  EXPECT_TRUE(append(m, producer_epoch{1}, 0, 1, 5));
}

TEST_F(ProducerState, FencesAnOlderEpoch) {
  ASSERT_TRUE(append(m, producer_epoch{3}, 0, 1, 0));
  EXPECT_EQ(append(m, producer_epoch{2}, 1, 1, 1).code(), errc::invalid_producer_epoch);
  // A follower copies whatever the leader accepted.
  EXPECT_TRUE(append(m, producer_epoch{2}, 1, 1, 1, append_origin::replication));
}

TEST_F(ProducerState, AnUnknownProducerMayStartAtAnySequence) {
  EXPECT_TRUE(append(m, producer_epoch{0}, 17, 1, 0));
}

TEST_F(ProducerState, SequencesWrapFromIntMaxToZero) {
  ASSERT_TRUE(append(m, producer_epoch{0}, INT32_MAX, 1, 0));
  EXPECT_TRUE(append(m, producer_epoch{0}, 0, 1, 1));
  EXPECT_EQ(increment_sequence(INT32_MAX - 1, 3), 1);
  EXPECT_EQ(decrement_sequence(1, 3), INT32_MAX - 1);
}

TEST_F(ProducerState, TracksOpenAndCompletedTransactionsForTheLastStableOffset) {
  ASSERT_TRUE(append(m, producer_epoch{0}, 0, 2, 10, append_origin::client, true));
  EXPECT_EQ(m.first_unstable_offset(), offset{10});
  EXPECT_EQ(append(m, producer_epoch{0}, 2, 1, 12, append_origin::client, false).code(), errc::invalid_txn_state);
  producer_append_info info = m.prepare_update(kPid, append_origin::coordinator);
  auto done = info.append_end_txn_marker(true, 0, producer_epoch{0}, offset{13}, 1000);
  ASSERT_TRUE(done);
  ASSERT_TRUE(*done);
  EXPECT_TRUE((*done)->aborted);
  EXPECT_EQ(m.last_stable_offset(**done), offset{14});
  m.update(info);
  ASSERT_TRUE(m.complete_txn(**done));
  EXPECT_EQ(m.first_unstable_offset(), offset{10});  // the marker is not yet below the high watermark
  m.on_high_watermark_updated(offset{14});
  EXPECT_FALSE(m.first_unstable_offset());
}

TEST_F(ProducerState, FencesAMarkerFromAnOlderCoordinator) {
  producer_append_info a = m.prepare_update(kPid, append_origin::coordinator);
  ASSERT_TRUE(a.append_end_txn_marker(false, 5, producer_epoch{0}, offset{0}, 0));
  m.update(a);
  producer_append_info b = m.prepare_update(kPid, append_origin::coordinator);
  EXPECT_EQ(b.append_end_txn_marker(false, 4, producer_epoch{0}, offset{1}, 0).code(),
            errc::transaction_coordinator_fenced);
}

TEST_F(ProducerState, SnapshotsRoundTripAndRejectCorruption) {
  ASSERT_TRUE(append(m, producer_epoch{2}, 0, 3, 0));
  m.update_map_end_offset(offset{3});
  auto path = m.take_snapshot(true);
  ASSERT_TRUE(path);
  ASSERT_TRUE(*path);
  EXPECT_EQ(**path, "/p/00000000000000000003.snapshot");
  auto bytes = io::read_file(fs, **path);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->size(), 10u + 46u);
  auto decoded = decode_producer_snapshot(*bytes);
  ASSERT_TRUE(decoded);
  ASSERT_EQ(decoded->size(), 1u);
  EXPECT_EQ((*decoded)[0].last_seq(), 2);
  EXPECT_EQ((*decoded)[0].producer_epoch(), producer_epoch{2});
  (*bytes)[20] ^= 1;
  EXPECT_EQ(decode_producer_snapshot(*bytes).code(), errc::corrupt_file);

  producer_state_manager fresh(fs, "/p", 86'400'000);
  ASSERT_TRUE(fresh.load_snapshot_list());
  ASSERT_TRUE(fresh.truncate_and_reload(offset{0}, offset{3}, 1000));
  EXPECT_EQ(fresh.map_end_offset(), offset{3});
  ASSERT_NE(fresh.last_entry(kPid), nullptr);
  EXPECT_EQ(fresh.last_entry(kPid)->last_seq(), 2);
}

TEST_F(ProducerState, ExpiresIdleProducersWithoutOpenTransactions) {
  ASSERT_TRUE(append(m, producer_epoch{0}, 0, 1, 0));
  m.remove_expired_producers(1000 + 86'400'000 - 1);
  EXPECT_NE(m.last_entry(kPid), nullptr);
  m.remove_expired_producers(1000 + 86'400'000);
  EXPECT_EQ(m.last_entry(kPid), nullptr);
}

}  // namespace
}  // namespace samsa::storage
