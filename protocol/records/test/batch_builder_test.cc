#include "protocol/records/batch_builder.h"

#include <gtest/gtest.h>

#include "protocol/records/batch_iterator.h"
#include "protocol/records/batch_records.h"
#include "protocol/records/test/record_fixtures.h"

namespace samsa::protocol {
namespace {

using testing::build_batch;
using testing::read_back;
using testing::sample_record;
using testing::three_records;

constexpr size_t kLimit = 64 << 20;

class EachCodec : public ::testing::TestWithParam<compression_codec> {};

TEST_P(EachCodec, BuiltBatchParsesBackToTheSameRecordsAndHeader) {
  batch_builder_options o;
  o.base_offset = samsa::offset{100};
  o.partition_leader_epoch = samsa::leader_epoch{4};
  o.compression = GetParam();
  o.producer_id = samsa::producer_id{77};
  o.producer_epoch = samsa::producer_epoch{2};
  o.base_sequence = 10;
  const std::vector<sample_record> in = three_records();
  const std::vector<uint8_t> bytes = build_batch(o, in);

  batch_iterator it(bytes);
  ASSERT_TRUE(it.next());
  const batch_view& b = it.batch();
  EXPECT_EQ(b.size_bytes(), bytes.size());
  EXPECT_EQ(b.attributes().codec(), GetParam());
  EXPECT_EQ(b.base_offset(), samsa::offset{100});
  EXPECT_EQ(b.last_offset(), samsa::offset{102});
  EXPECT_EQ(b.partition_leader_epoch(), samsa::leader_epoch{4});
  EXPECT_EQ(b.records_count(), 3);
  EXPECT_EQ(b.base_timestamp_ms(), 1700000000000);
  EXPECT_EQ(b.max_timestamp_ms(), 1700000000005);
  EXPECT_EQ(b.producer_id(), samsa::producer_id{77});
  EXPECT_EQ(b.producer_epoch(), samsa::producer_epoch{2});
  EXPECT_EQ(b.base_sequence(), 10);
  EXPECT_FALSE(b.attributes().is_transactional());
  EXPECT_FALSE(b.attributes().is_control());

  auto recs = batch_records::open(b, kLimit);
  ASSERT_TRUE(recs.ok());
  EXPECT_EQ(read_back(b, recs->reader()), in);
  EXPECT_FALSE(it.next());
  EXPECT_FALSE(it.error().has_value());
}

TEST_P(EachCodec, LargeBatchesSpanManyCompressionBlocks) {
  batch_builder_options o;
  o.compression = GetParam();
  std::vector<sample_record> in;
  for (int i = 0; i < 400; ++i) {
    sample_record r;
    r.key = "key-" + std::to_string(i);
    r.value = std::string(1000 + i, static_cast<char>('a' + i % 26)) + std::to_string(i * 7919);
    r.timestamp_ms = 1700000000000 + i;
    in.push_back(r);
  }
  const std::vector<uint8_t> bytes = build_batch(o, in);
  const batch_view b = *batch_view::from_prefix(bytes);
  ASSERT_TRUE(b.crc_matches());
  auto recs = batch_records::open(b, kLimit);
  ASSERT_TRUE(recs.ok()) << recs.error();
  EXPECT_GT(recs->bytes().size(), 400u * 1000u);
  EXPECT_EQ(read_back(b, recs->reader()), in);
}

TEST_P(EachCodec, AnEmptyBatchRoundTrips) {
  batch_builder_options o;
  o.compression = GetParam();
  const std::vector<uint8_t> bytes = build_batch(o, {});
  const batch_view b = *batch_view::from_prefix(bytes);
  EXPECT_TRUE(b.crc_matches());
  EXPECT_EQ(b.records_count(), 0);
  EXPECT_EQ(b.base_timestamp_ms(), kNoTimestamp);
  EXPECT_EQ(b.max_timestamp_ms(), kNoTimestamp);
  auto s = scan_records(b, kLimit);
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->count, 0);
}

INSTANTIATE_TEST_SUITE_P(Codecs, EachCodec,
                         ::testing::Values(compression_codec::none, compression_codec::gzip, compression_codec::snappy,
                                           compression_codec::lz4, compression_codec::zstd),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(BatchBuilder, UncompressedRecordsSectionIsExactlyTheEncodedRecords) {
  const std::vector<uint8_t> bytes = build_batch({}, three_records());
  const batch_view b = *batch_view::from_prefix(bytes);
  EXPECT_EQ(b.batch_length(), static_cast<int32_t>(bytes.size() - 12));
  EXPECT_EQ(b.attributes().raw(), 0);
  EXPECT_EQ(b.partition_leader_epoch(), samsa::leader_epoch{-1});
  EXPECT_EQ(b.producer_id(), samsa::producer_id{-1});
  EXPECT_EQ(b.base_sequence(), -1);
}

TEST(BatchBuilder, LogAppendTimeWritesTheAppendTimeAsMaxTimestamp) {
  batch_builder_options o;
  o.ts_type = timestamp_type::log_append_time;
  o.log_append_time_ms = 1800000000000;
  const std::vector<uint8_t> bytes = build_batch(o, three_records());
  const batch_view b = *batch_view::from_prefix(bytes);
  EXPECT_EQ(b.attributes().ts_type(), timestamp_type::log_append_time);
  EXPECT_EQ(b.max_timestamp_ms(), 1800000000000);
  EXPECT_EQ(b.base_timestamp_ms(), 1700000000000);
}

TEST(BatchBuilder, RefusesOffsetDeltasThatDoNotIncrease) {
  batch_builder b({});
  record_input r;
  ASSERT_TRUE(b.append_with_offset_delta(3, r).ok());
  EXPECT_EQ(b.append_with_offset_delta(3, r).error(), record_error::invalid_record);
  EXPECT_EQ(b.append_with_offset_delta(1, r).error(), record_error::invalid_record);
  ASSERT_TRUE(b.append(r).ok());  // takes delta 4
  auto built = b.build();
  ASSERT_TRUE(built.ok());
  const batch_view v = *batch_view::from_prefix(*built);
  EXPECT_EQ(v.last_offset_delta(), 4);
  EXPECT_EQ(v.records_count(), 2);
}

TEST(BatchBuilder, RefusesNegativeTimestampsOtherThanNoTimestamp) {
  batch_builder b({});
  record_input r;
  r.timestamp_ms = -2;
  EXPECT_EQ(b.append(r).error(), record_error::invalid_record);
  r.timestamp_ms = kNoTimestamp;
  EXPECT_TRUE(b.append(r).ok());
}

TEST(ScanRecords, SummarisesOffsetsTimestampsAndKeys) {
  const std::vector<uint8_t> bytes = build_batch({}, three_records());
  auto s = scan_records(*batch_view::from_prefix(bytes), kLimit);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->count, 3);
  EXPECT_TRUE(s->offset_deltas_consecutive);
  EXPECT_EQ(s->last_offset_delta, 2);
  EXPECT_EQ(s->max_timestamp_ms, 1700000000005);
  EXPECT_EQ(s->min_timestamp_ms, 1700000000000);
  EXPECT_FALSE(s->all_records_have_keys);  // the second record has a null key
}

TEST(ScanRecords, NoticesOffsetGaps) {
  batch_builder b({});
  record_input r;
  r.timestamp_ms = 5;
  ASSERT_TRUE(b.append_with_offset_delta(0, r).ok());
  ASSERT_TRUE(b.append_with_offset_delta(2, r).ok());
  auto bytes = b.build();
  auto s = scan_records(*batch_view::from_prefix(*bytes), kLimit);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->offset_deltas_consecutive);
}

TEST(ScanRecords, ReportsUnknownCompressionCodecs) {
  std::vector<uint8_t> bytes = build_batch({}, three_records());
  bytes[batch_layout::kAttributes + 1] |= 0x05;
  EXPECT_EQ(scan_records(*batch_view::from_prefix(bytes), kLimit).error(), record_error::unsupported_compression);
}

TEST(ScanRecords, ReportsARecordCountThatDisagreesWithTheRecords) {
  std::vector<uint8_t> bytes = build_batch({}, three_records());
  bytes[batch_layout::kRecordsCount + 3] = 4;
  EXPECT_EQ(scan_records(*batch_view::from_prefix(bytes), kLimit).error(), record_error::record_count_mismatch);
}

TEST(ScanRecords, RefusesACompressedBatchThatDecompressesPastTheLimit) {
  batch_builder_options o;
  o.compression = compression_codec::zstd;
  sample_record big;
  big.value = std::string(200000, 'z');
  const std::vector<uint8_t> bytes = build_batch(o, {big});
  EXPECT_LT(bytes.size(), 1000u);
  EXPECT_EQ(scan_records(*batch_view::from_prefix(bytes), 100000).error(), record_error::too_large);
  EXPECT_TRUE(scan_records(*batch_view::from_prefix(bytes), 300000).ok());
}

}  // namespace
}  // namespace samsa::protocol
