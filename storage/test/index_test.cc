#include <gtest/gtest.h>

#include "storage/index/offset_index.h"
#include "storage/index/time_index.h"
#include "storage/index/txn_index.h"

namespace samsa::storage {
namespace {

TEST(OffsetIndex, LookupFindsTheLargestEntryAtOrBelowTheTarget) {
  offset_index idx(offset{100}, 10);
  ASSERT_TRUE(idx.append(offset{105}, 0));
  ASSERT_TRUE(idx.append(offset{110}, 4096));
  EXPECT_EQ(idx.lookup(offset{99}), (offset_position{offset{100}, 0}));
  EXPECT_EQ(idx.lookup(offset{107}), (offset_position{offset{105}, 0}));
  EXPECT_EQ(idx.lookup(offset{110}), (offset_position{offset{110}, 4096}));
  EXPECT_EQ(idx.lookup(offset{1000}), (offset_position{offset{110}, 4096}));
}

TEST(OffsetIndex, RefusesEntriesThatDoNotIncreaseOrDoNotFit) {
  offset_index idx(offset{100}, 2);
  EXPECT_FALSE(idx.append(offset{99}, 0));
  EXPECT_TRUE(idx.append(offset{100}, 0));
  EXPECT_FALSE(idx.append(offset{100}, 10));
  EXPECT_FALSE(idx.append(offset{101}, 0));
  EXPECT_TRUE(idx.append(offset{101}, 10));
  EXPECT_TRUE(idx.is_full());
  EXPECT_FALSE(idx.append(offset{102}, 20));
  EXPECT_FALSE(idx.can_append_offset(offset{100 + int64_t{INT32_MAX} + 1}));
}

TEST(OffsetIndex, TruncationRemovesEntriesAtAndAboveTheOffset) {
  offset_index idx(offset{0}, 10);
  idx.append(offset{5}, 0);
  idx.append(offset{10}, 100);
  idx.append(offset{15}, 200);
  idx.truncate_to(offset{10});
  EXPECT_EQ(idx.entries(), 1u);
  idx.truncate_to(offset{6});
  EXPECT_EQ(idx.entries(), 1u);
  idx.truncate_to(offset{5});
  EXPECT_EQ(idx.entries(), 0u);
}

TEST(OffsetIndex, FindsEntriesByPosition) {
  offset_index idx(offset{0}, 10);
  idx.append(offset{5}, 0);
  idx.append(offset{10}, 100);
  EXPECT_EQ(idx.first_entry_at_or_after_position(50)->offset, offset{10});
  EXPECT_FALSE(idx.first_entry_at_or_after_position(101));
  EXPECT_EQ(idx.last_entry_at_or_before_position(99)->offset, offset{5});
  EXPECT_EQ(idx.last_entry_at_or_before_position(100)->offset, offset{10});
}

TEST(OffsetIndex, SerializesAsBigEndianRelativeOffsetAndPosition) {
  offset_index idx(offset{1000}, 10);
  idx.append(offset{1001}, 258);
  const std::vector<uint8_t> bytes = idx.serialize();
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0, 0, 0, 1, 0, 0, 1, 2}));
  auto back = offset_index::parse(offset{1000}, 10, bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->lookup(offset{2000}), (offset_position{offset{1001}, 258}));
}

TEST(OffsetIndex, ParsingRejectsATornOrDisorderedFile) {
  EXPECT_EQ(offset_index::parse(offset{0}, 10, std::vector<uint8_t>(7)).code(), errc::corrupt_file);
  std::vector<uint8_t> disordered{0, 0, 0, 5, 0, 0, 0, 9, 0, 0, 0, 4, 0, 0, 0, 10};
  EXPECT_EQ(offset_index::parse(offset{0}, 10, disordered).code(), errc::corrupt_file);
}

TEST(TimeIndex, AppendsOnlyNewerTimestampsAndKeepsTheLastSlotForSealing) {
  time_index idx(offset{0}, 3);
  EXPECT_FALSE(idx.maybe_append(-1, offset{0}));
  EXPECT_TRUE(idx.maybe_append(10, offset{1}));
  EXPECT_FALSE(idx.maybe_append(10, offset{2}));
  EXPECT_FALSE(idx.maybe_append(5, offset{3}));
  EXPECT_TRUE(idx.maybe_append(20, offset{4}));
  EXPECT_TRUE(idx.is_full());
  EXPECT_FALSE(idx.maybe_append(30, offset{5}));
  EXPECT_TRUE(idx.maybe_append(30, offset{5}, true));
}

TEST(TimeIndex, LookupReturnsTheEntryAtOrBelowTheTimestamp) {
  time_index idx(offset{100}, 10);
  idx.maybe_append(10, offset{101});
  idx.maybe_append(20, offset{105});
  EXPECT_EQ(idx.lookup(5), (timestamp_offset{-1, offset{100}}));
  EXPECT_EQ(idx.lookup(15), (timestamp_offset{10, offset{101}}));
  EXPECT_EQ(idx.lookup(25), (timestamp_offset{20, offset{105}}));
  auto back = time_index::parse(offset{100}, 10, idx.serialize());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->last_entry(), (timestamp_offset{20, offset{105}}));
}

TEST(TxnIndex, CollectsAbortedTransactionsOverlappingTheRangeAndSaysWhenToStop) {
  txn_index idx(offset{0});
  ASSERT_TRUE(idx.append({producer_id{1}, offset{0}, offset{10}, offset{11}}));
  ASSERT_TRUE(idx.append({producer_id{2}, offset{5}, offset{20}, offset{30}}));
  EXPECT_FALSE(idx.append({producer_id{3}, offset{5}, offset{20}, offset{30}}));
  txn_search_result r = idx.collect(offset{11}, offset{25});
  ASSERT_EQ(r.aborted.size(), 1u);
  EXPECT_EQ(r.aborted[0].producer_id, producer_id{2});
  EXPECT_TRUE(r.complete);
  EXPECT_FALSE(idx.collect(offset{0}, offset{40}).complete);
  auto back = txn_index::parse(offset{0}, idx.serialize());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->all(), idx.all());
  idx.truncate_to(offset{20});
  EXPECT_EQ(idx.entries(), 1u);
}

TEST(TxnIndex, EntriesAreThirtyFourBytesWithVersionZero) {
  txn_index idx(offset{0});
  idx.append({producer_id{1}, offset{2}, offset{3}, offset{4}});
  const auto bytes = idx.serialize();
  ASSERT_EQ(bytes.size(), 34u);
  EXPECT_EQ(bytes[0], 0);
  EXPECT_EQ(bytes[1], 0);
  EXPECT_EQ(bytes[9], 1);
  EXPECT_EQ(bytes[33], 4);
}

}  // namespace
}  // namespace samsa::storage
