// Appends, reads and offsets of one partition log.

#include <gtest/gtest.h>

#include "common/endian.h"
#include "storage/segment/file_slice_source.h"
#include "storage/test/log_fixture.h"

namespace samsa::storage {
namespace {

using namespace testing;

class PartitionLog : public log_fixture {
 protected:
  void SetUp() override {
    log_fixture::SetUp();
    open();
  }
};

TEST_F(PartitionLog, AppendAssignsConsecutiveOffsetsFromTheLogEnd) {
  append_info a = append(simple_batch(3));
  EXPECT_EQ(a.first_offset, offset{0});
  EXPECT_EQ(a.last_offset, offset{2});
  append_info b = append(simple_batch(2));
  EXPECT_EQ(b.first_offset, offset{3});
  EXPECT_EQ(b.last_offset, offset{4});
  EXPECT_EQ(log->log_end_offset(), offset{5});
  auto recs = read_all(*log);
  ASSERT_EQ(recs.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(recs[i].offset, i);
  EXPECT_EQ(recs[3].key, "k0");
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
}

TEST_F(PartitionLog, StoresTheBatchExactlyAsAppendedWithOffsetAndEpochSetInPlace) {
  std::vector<uint8_t> batch = simple_batch(2);
  ASSERT_TRUE(log->append_as_leader(batch, leader_epoch{4}));
  // The caller's buffer was rewritten in place; the log holds those same bytes.
  EXPECT_EQ(read_all_bytes(*log), batch);
  auto v = protocol::batch_view::from_prefix(batch).value();
  EXPECT_EQ(v.partition_leader_epoch(), leader_epoch{4});
  EXPECT_TRUE(v.crc_matches());
  EXPECT_EQ(log->latest_epoch(), leader_epoch{4});
}

TEST_F(PartitionLog, RejectsACorruptBatchAndAppendsNothing) {
  std::vector<uint8_t> batch = simple_batch(2);
  batch.back() ^= 0xff;
  auto r = log->append_as_leader(batch, leader_epoch{0});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), errc::corrupt_record);
  EXPECT_EQ(log->log_end_offset(), offset{0});
  EXPECT_EQ(log->size_bytes(), 0u);
}

TEST_F(PartitionLog, RejectsANonZeroBaseOffsetFromAClient) {
  batch_spec s;
  s.records = {{"a", "b"}};
  s.base_offset = 5;
  auto r = try_append(make_batch(s), 0);
  EXPECT_EQ(r.code(), errc::invalid_record);
}

TEST_F(PartitionLog, RejectsMoreThanOneBatchFromTheLeaderPath) {
  std::vector<uint8_t> two = simple_batch(1);
  std::vector<uint8_t> b = simple_batch(1);
  two.insert(two.end(), b.begin(), b.end());
  EXPECT_EQ(log->append_as_leader(two, leader_epoch{0}).code(), errc::invalid_record);
}

TEST_F(PartitionLog, RejectsABatchAboveMaxMessageBytes) {
  config.max_message_bytes = 200;
  log->update_config(config);
  auto r = try_append(simple_batch(10, 100), 0);
  EXPECT_EQ(r.code(), errc::record_too_large);
}

TEST_F(PartitionLog, RejectsLegacyMagicAsInvalidRecord) {
  std::vector<uint8_t> b = simple_batch(1);
  b[protocol::batch_layout::kMagic] = 1;
  EXPECT_EQ(log->append_as_leader(b, leader_epoch{0}).code(), errc::invalid_record);
}

TEST_F(PartitionLog, IgnoresATrailingPartialBatchLikeKafka) {
  std::vector<uint8_t> b = simple_batch(2);
  std::vector<uint8_t> c = simple_batch(2);
  b.insert(b.end(), c.begin(), c.begin() + 20);
  append_info a = append(b);
  EXPECT_EQ(a.last_offset, offset{1});
  EXPECT_EQ(log->log_end_offset(), offset{2});
}

TEST_F(PartitionLog, NothingWholeMeansNothingAppended) {
  std::vector<uint8_t> b = simple_batch(2);
  b.resize(30);
  append_info a = append(b);
  EXPECT_EQ(a.first_offset, offset{-1});
  EXPECT_EQ(log->log_end_offset(), offset{0});
}

TEST_F(PartitionLog, ReadsReturnWholeBatchesAsAFileSlice) {
  for (int i = 0; i < 10; ++i) append(simple_batch(4, 100));
  const uint64_t batch_size = simple_batch(4, 100).size();
  auto r = log->read(offset{0}, static_cast<int64_t>(batch_size * 3 + batch_size / 2), fetch_isolation::log_end, false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size_bytes, batch_size * 3);
  EXPECT_FALSE(r->first_entry_incomplete);
  auto recs = records_of(contents(*r));
  EXPECT_EQ(recs.size(), 12u);
  // The fault-injecting file system has no descriptors: the network layer copies.
  EXPECT_FALSE(r->records->as_file_slice());
}

TEST_F(PartitionLog, ReadingFromTheMiddleOfABatchStartsAtThatBatch) {
  append(simple_batch(5));
  append(simple_batch(5));
  auto r = log->read(offset{7}, 1 << 20, fetch_isolation::log_end, false);
  ASSERT_TRUE(r);
  auto recs = records_of(contents(*r));
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(recs.front().offset, 5);
}

TEST_F(PartitionLog, MinOneMessageReturnsAnOversizedFirstBatchWhole) {
  append(simple_batch(10, 1000));
  auto none = log->read(offset{0}, 100, fetch_isolation::log_end, false);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->size_bytes, 0u);
  EXPECT_TRUE(none->first_entry_incomplete);
  auto one = log->read(offset{0}, 100, fetch_isolation::log_end, true);
  ASSERT_TRUE(one);
  EXPECT_EQ(records_of(contents(*one)).size(), 10u);
}

TEST_F(PartitionLog, ReadsOutsideTheLogAreOffsetOutOfRangeAndAtTheEndAreEmpty) {
  append(simple_batch(3));
  EXPECT_EQ(log->read(offset{4}, 100, fetch_isolation::log_end, true).code(), errc::offset_out_of_range);
  auto at_end = log->read(offset{3}, 100, fetch_isolation::log_end, true);
  ASSERT_TRUE(at_end);
  EXPECT_EQ(at_end->size_bytes, 0u);
  EXPECT_EQ(at_end->log_end_offset, offset{3});
}

TEST_F(PartitionLog, HighWatermarkIsolationHidesWhatIsAboveIt) {
  append(simple_batch(2));
  append(simple_batch(2));
  EXPECT_EQ(log->high_watermark(), offset{0});
  auto hidden = log->read(offset{0}, 1 << 20, fetch_isolation::high_watermark, true);
  ASSERT_TRUE(hidden);
  EXPECT_EQ(hidden->size_bytes, 0u);
  ASSERT_TRUE(log->maybe_increment_high_watermark(offset{2}));
  auto half = log->read(offset{0}, 1 << 20, fetch_isolation::high_watermark, true);
  EXPECT_EQ(records_of(contents(*half)).size(), 2u);
  EXPECT_EQ(log->update_high_watermark(offset{100}), offset{4});
  EXPECT_EQ(log->maybe_increment_high_watermark(offset{5}).code(), errc::invalid_argument);
}

TEST_F(PartitionLog, RollsWhenTheSegmentWouldExceedSegmentBytes) {
  config.segment_bytes = 1000;
  log->update_config(config);
  for (int i = 0; i < 10; ++i) append(simple_batch(2, 200));
  EXPECT_GT(log->number_of_segments(), 3u);
  auto bases = log->segment_base_offsets();
  EXPECT_EQ(bases.front(), offset{0});
  EXPECT_EQ(read_all(*log).size(), 20u);
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
}

TEST_F(PartitionLog, RollsWhenSegmentMsHasPassedSinceTheFirstBatch) {
  config.segment_ms = 1000;
  log->update_config(config);
  append(simple_batch(1, 10, kT0));
  append(simple_batch(1, 10, kT0 + 500));
  EXPECT_EQ(log->number_of_segments(), 1u);
  append(simple_batch(1, 10, kT0 + 1500));
  EXPECT_EQ(log->number_of_segments(), 2u);
}

TEST_F(PartitionLog, RejectsAnAppendLargerThanASegment) {
  config.segment_bytes = 100;
  log->update_config(config);
  EXPECT_EQ(try_append(simple_batch(5, 50), 0).code(), errc::record_batch_too_large);
}

TEST_F(PartitionLog, BuildsSparseIndexesEveryIndexIntervalBytes) {
  config.index_interval_bytes = 500;
  log->update_config(config);
  for (int i = 0; i < 20; ++i) append(simple_batch(2, 100));
  ASSERT_TRUE(log->roll());
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
  // Every offset is still reachable through the index.
  for (int64_t o = 0; o < 40; ++o) {
    auto r = log->read(offset{o}, 1, fetch_isolation::log_end, true);
    ASSERT_TRUE(r);
    auto recs = records_of(contents(*r));
    ASSERT_FALSE(recs.empty());
    EXPECT_LE(recs.front().offset, o);
    EXPECT_GE(recs.back().offset, o);
  }
}

TEST_F(PartitionLog, FindsOffsetsByTimestamp) {
  append(simple_batch(3, 10, kT0));          // 0..2 at T0..T0+2
  append(simple_batch(3, 10, kT0 + 100));    // 3..5
  ASSERT_TRUE(log->roll());
  append(simple_batch(3, 10, kT0 + 200));    // 6..8
  auto at = [&](int64_t ts) { return log->fetch_offset_by_timestamp(ts).value(); };
  EXPECT_EQ(at(kT0 + 1)->offset, offset{1});
  EXPECT_EQ(at(kT0 + 50)->offset, offset{3});
  EXPECT_EQ(at(kT0 + 201)->offset, offset{7});
  EXPECT_FALSE(at(kT0 + 1000));
  EXPECT_EQ(at(kEarliestTimestamp)->offset, offset{0});
  EXPECT_EQ(at(kLatestTimestamp)->offset, offset{9});
  auto max = at(kMaxTimestamp);
  ASSERT_TRUE(max);
  EXPECT_EQ(max->offset, offset{8});
  EXPECT_EQ(max->timestamp_ms, kT0 + 202);
}

TEST_F(PartitionLog, AnswersOffsetForLeaderEpoch) {
  append(simple_batch(3), 1);
  append(simple_batch(3), 1);
  append(simple_batch(3), 4);
  EXPECT_EQ(log->end_offset_for_epoch(leader_epoch{1}), (epoch_end_offset{leader_epoch{1}, offset{6}}));
  EXPECT_EQ(log->end_offset_for_epoch(leader_epoch{2}), (epoch_end_offset{leader_epoch{1}, offset{6}}));
  EXPECT_EQ(log->end_offset_for_epoch(leader_epoch{4}), (epoch_end_offset{leader_epoch{4}, offset{9}}));
  EXPECT_FALSE(log->end_offset_for_epoch(leader_epoch{5}));
}

TEST_F(PartitionLog, FollowerAppendKeepsTheLeadersOffsetsAndChecksTheirOrder) {
  batch_spec s;
  s.records = {{"a", "1"}, {"b", "2"}};
  s.base_offset = 10;
  s.leader_epoch = 3;
  std::vector<uint8_t> first = make_batch(s);
  s.base_offset = 20;
  std::vector<uint8_t> second = make_batch(s);
  std::vector<uint8_t> both = first;
  both.insert(both.end(), second.begin(), second.end());
  auto r = log->append_as_follower(both);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->first_offset, offset{10});
  EXPECT_EQ(log->log_end_offset(), offset{22});
  EXPECT_EQ(log->latest_epoch(), leader_epoch{3});
  EXPECT_EQ(log->append_as_follower(first).code(), errc::unexpected_append_offset);
  s.base_offset = 30;
  std::vector<uint8_t> third = make_batch(s);
  s.base_offset = 25;
  std::vector<uint8_t> backwards = make_batch(s);
  third.insert(third.end(), backwards.begin(), backwards.end());
  EXPECT_EQ(log->append_as_follower(third).code(), errc::offsets_out_of_order);
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
}

TEST_F(PartitionLog, DuplicateRetriesAnswerWithTheOriginalOffsetsAndAppendNothing) {
  append(idempotent_batch(7, 0, 0, 3));
  append(simple_batch(2));
  append_info dup = append(idempotent_batch(7, 0, 0, 3));
  EXPECT_TRUE(dup.duplicate);
  EXPECT_EQ(dup.first_offset, offset{0});
  EXPECT_EQ(dup.last_offset, offset{2});
  EXPECT_EQ(log->log_end_offset(), offset{5});
  EXPECT_EQ(try_append(idempotent_batch(7, 0, 5, 1), 0).code(),
            errc::out_of_order_sequence);
  append_info next = append(idempotent_batch(7, 0, 3, 1));
  EXPECT_FALSE(next.duplicate);
  EXPECT_EQ(next.first_offset, offset{5});
  EXPECT_EQ(try_append(idempotent_batch(7, -1 + 0, 4, 1), 0).code(),
            errc::invalid_producer_epoch);
}

TEST_F(PartitionLog, DeleteRecordsMovesTheLogStartOffsetButNeverPastTheHighWatermark) {
  for (int i = 0; i < 5; ++i) append(simple_batch(2));
  EXPECT_EQ(log->maybe_increment_log_start_offset(offset{3}).code(), errc::offset_out_of_range);
  log->update_high_watermark(offset{10});
  ASSERT_TRUE(*log->maybe_increment_log_start_offset(offset{3}));
  EXPECT_EQ(log->log_start_offset(), offset{3});
  EXPECT_EQ(log->read(offset{2}, 100, fetch_isolation::log_end, true).code(), errc::offset_out_of_range);
  auto r = log->read(offset{3}, 1 << 20, fetch_isolation::log_end, true);
  ASSERT_TRUE(r);
  EXPECT_EQ(records_of(contents(*r)).front().offset, 2);  // the batch holding offset 3 comes whole
  EXPECT_EQ(log->fetch_offset_by_timestamp(kEarliestTimestamp).value()->offset, offset{3});
}

TEST_F(PartitionLog, FileSlicesOutliveTheLog) {
  append(simple_batch(3));
  auto r = log->read(offset{0}, 1 << 20, fetch_isolation::log_end, true);
  ASSERT_TRUE(r);
  std::shared_ptr<const protocol::spliced_source> slice = r->records;
  log->close_without_flush();
  log.reset();
  std::vector<uint8_t> out(slice->size());
  slice->copy_to(out.data());
  EXPECT_EQ(records_of(out).size(), 3u);
}

}  // namespace
}  // namespace samsa::storage
