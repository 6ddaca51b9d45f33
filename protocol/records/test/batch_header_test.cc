#include "protocol/records/batch_header.h"

#include <gtest/gtest.h>

#include <array>
#include <limits>

#include "common/endian.h"
#include "protocol/records/batch_view.h"
#include "protocol/records/test/record_fixtures.h"

namespace samsa::protocol {
namespace {

using testing::build_batch;
using testing::three_records;

batch_header sample_header() {
  batch_header h;
  h.base_offset = samsa::offset{0x0102030405060708};
  h.batch_length = 1234;
  h.partition_leader_epoch = samsa::leader_epoch{7};
  h.crc = 0xCAFEBABE;
  h.attributes = batch_attributes()
                     .with_codec(compression_codec::zstd)
                     .with_ts_type(timestamp_type::log_append_time)
                     .with_transactional(true);
  h.last_offset_delta = 9;
  h.base_timestamp_ms = 1700000000000;
  h.max_timestamp_ms = 1700000000999;
  h.producer_id = samsa::producer_id{424242};
  h.producer_epoch = samsa::producer_epoch{3};
  h.base_sequence = 100;
  h.records_count = 10;
  return h;
}

TEST(BatchHeader, RoundTripsEveryField) {
  std::array<uint8_t, batch_layout::kHeaderSize> buf{};
  const batch_header h = sample_header();
  encode_batch_header(h, buf);
  auto parsed = parse_batch_header(buf);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, h);
  EXPECT_EQ(parsed->size_bytes(), 1246);
  EXPECT_EQ(parsed->last_offset(), samsa::offset{0x0102030405060708 + 9});
}

TEST(BatchHeader, PutsFieldsAtTheDocumentedOffsets) {
  std::array<uint8_t, batch_layout::kHeaderSize> buf{};
  encode_batch_header(sample_header(), buf);
  EXPECT_EQ(load_be<int64_t>(&buf[0]), 0x0102030405060708);
  EXPECT_EQ(load_be<int32_t>(&buf[8]), 1234);
  EXPECT_EQ(load_be<int32_t>(&buf[12]), 7);
  EXPECT_EQ(buf[16], 2);
  EXPECT_EQ(load_be<uint32_t>(&buf[17]), 0xCAFEBABEu);
  EXPECT_EQ(load_be<int16_t>(&buf[21]), 0x4 | 0x8 | 0x10);
  EXPECT_EQ(load_be<int32_t>(&buf[23]), 9);
  EXPECT_EQ(load_be<int64_t>(&buf[27]), 1700000000000);
  EXPECT_EQ(load_be<int64_t>(&buf[35]), 1700000000999);
  EXPECT_EQ(load_be<int64_t>(&buf[43]), 424242);
  EXPECT_EQ(load_be<int16_t>(&buf[51]), 3);
  EXPECT_EQ(load_be<int32_t>(&buf[53]), 100);
  EXPECT_EQ(load_be<int32_t>(&buf[57]), 10);
}

TEST(BatchHeader, ReportsLegacyMagicDistinctlyFromGarbageMagic) {
  std::array<uint8_t, batch_layout::kHeaderSize> buf{};
  encode_batch_header(sample_header(), buf);
  buf[16] = 1;
  EXPECT_EQ(parse_batch_header(buf).error(), record_error::unsupported_magic);
  buf[16] = 0;
  EXPECT_EQ(parse_batch_header(buf).error(), record_error::unsupported_magic);
  buf[16] = 3;
  EXPECT_EQ(parse_batch_header(buf).error(), record_error::invalid_magic);
  buf[16] = 0xff;
  EXPECT_EQ(parse_batch_header(buf).error(), record_error::invalid_magic);
}

TEST(BatchHeader, RejectsShortBuffersAndShortBatchLengths) {
  std::array<uint8_t, batch_layout::kHeaderSize> buf{};
  batch_header h = sample_header();
  encode_batch_header(h, buf);
  EXPECT_EQ(parse_batch_header(std::span(buf).first(16)).error(), record_error::truncated);
  EXPECT_EQ(parse_batch_header(std::span(buf).first(60)).error(), record_error::truncated);
  h.batch_length = 48;
  encode_batch_header(h, buf);
  EXPECT_EQ(parse_batch_header(buf).error(), record_error::invalid_length);
  h.batch_length = 49;
  encode_batch_header(h, buf);
  EXPECT_TRUE(parse_batch_header(buf).ok());
}

TEST(BatchAttributes, DecodesEachBit) {
  const batch_attributes a(0x7f);
  EXPECT_EQ(a.codec_id(), 7);
  EXPECT_FALSE(a.codec().has_value());
  EXPECT_EQ(a.ts_type(), timestamp_type::log_append_time);
  EXPECT_TRUE(a.is_transactional());
  EXPECT_TRUE(a.is_control());
  EXPECT_TRUE(a.has_delete_horizon_ms());
  EXPECT_EQ(batch_attributes(0x3).codec(), compression_codec::lz4);
  EXPECT_EQ(batch_attributes().with_control(true).with_transactional(true).raw(), 0x30);
  EXPECT_EQ(a.with_ts_type(timestamp_type::create_time).with_control(false).raw(), 0x57);
}

TEST(BatchView, DetectsAFlippedBitAnywhereTheCrcCovers) {
  std::vector<uint8_t> batch = build_batch({}, three_records());
  ASSERT_TRUE(batch_view::from_prefix(batch)->crc_matches());
  for (size_t i = batch_layout::kCrcCoverageStart; i < batch.size(); ++i) {
    for (int bit = 0; bit < 8; bit += 3) {
      batch[i] ^= static_cast<uint8_t>(1u << bit);
      auto v = batch_view::from_prefix(batch);
      ASSERT_TRUE(v.ok());
      EXPECT_FALSE(v->crc_matches()) << "byte " << i << " bit " << bit;
      batch[i] ^= static_cast<uint8_t>(1u << bit);
    }
  }
}

TEST(BatchView, StoredCrcFlipIsDetected) {
  std::vector<uint8_t> batch = build_batch({}, three_records());
  batch[batch_layout::kCrc + 2] ^= 0x10;
  EXPECT_FALSE(batch_view::from_prefix(batch)->crc_matches());
}

TEST(MutableBatchView, RewritesOffsetAndEpochWithoutTouchingTheCrc) {
  std::vector<uint8_t> batch = build_batch({}, three_records());
  auto m = mutable_batch_view::from_prefix(batch);
  ASSERT_TRUE(m.ok());
  const uint32_t crc = m->view().stored_crc();
  m->set_base_offset(samsa::offset{5000});
  m->set_partition_leader_epoch(samsa::leader_epoch{12});
  EXPECT_EQ(m->view().base_offset(), samsa::offset{5000});
  EXPECT_EQ(m->view().last_offset(), samsa::offset{5002});
  EXPECT_EQ(m->view().partition_leader_epoch(), samsa::leader_epoch{12});
  EXPECT_EQ(m->view().stored_crc(), crc);
  EXPECT_TRUE(m->view().crc_matches());
  m->set_last_offset(samsa::offset{99});
  EXPECT_EQ(m->view().base_offset(), samsa::offset{97});
}

TEST(MutableBatchView, LogAppendTimeRewritesMaxTimestampAndRecomputesTheCrc) {
  std::vector<uint8_t> batch = build_batch({}, three_records());
  auto m = mutable_batch_view::from_prefix(batch);
  const uint32_t crc = m->view().stored_crc();
  m->set_max_timestamp(timestamp_type::log_append_time, 1800000000000);
  const batch_view v = m->view();
  EXPECT_EQ(v.max_timestamp_ms(), 1800000000000);
  EXPECT_EQ(v.attributes().ts_type(), timestamp_type::log_append_time);
  EXPECT_NE(v.stored_crc(), crc);
  EXPECT_TRUE(v.crc_matches());
  // Every record now reads as the append time.
  EXPECT_EQ(v.record_timestamp_ms(0), 1800000000000);
  EXPECT_EQ(v.record_timestamp_ms(-77), 1800000000000);
}

TEST(MutableBatchView, SettingTheSameMaxTimestampLeavesABadCrcBad) {
  std::vector<uint8_t> batch = build_batch({}, three_records());
  batch.back() ^= 1;
  auto m = mutable_batch_view::from_prefix(batch);
  m->set_max_timestamp(timestamp_type::create_time, m->view().max_timestamp_ms());
  EXPECT_FALSE(m->view().crc_matches());
}

TEST(BatchView, DerivesRecordSequencesWrappingPastInt32Max) {
  batch_builder_options o;
  o.producer_id = samsa::producer_id{1};
  o.producer_epoch = samsa::producer_epoch{0};
  o.base_sequence = std::numeric_limits<int32_t>::max() - 1;
  std::vector<uint8_t> batch = build_batch(o, three_records());
  const batch_view v = *batch_view::from_prefix(batch);
  EXPECT_EQ(v.record_sequence(0), std::numeric_limits<int32_t>::max() - 1);
  EXPECT_EQ(v.record_sequence(1), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(v.record_sequence(2), 0);
  std::vector<uint8_t> plain = build_batch({}, three_records());
  EXPECT_EQ(batch_view::from_prefix(plain)->record_sequence(1), kNoSequence);
}

TEST(BatchView, ExposesTheDeleteHorizonOnlyWhenFlagged) {
  batch_builder_options o;
  o.delete_horizon_ms = 1600000000000;
  std::vector<uint8_t> with = build_batch(o, three_records());
  EXPECT_EQ(batch_view::from_prefix(with)->delete_horizon_ms(), 1600000000000);
  EXPECT_EQ(batch_view::from_prefix(with)->base_timestamp_ms(), 1600000000000);
  std::vector<uint8_t> without = build_batch({}, three_records());
  EXPECT_FALSE(batch_view::from_prefix(without)->delete_horizon_ms().has_value());
}

}  // namespace
}  // namespace samsa::protocol
