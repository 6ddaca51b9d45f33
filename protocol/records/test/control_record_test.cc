#include "protocol/records/control_record.h"

#include <gtest/gtest.h>

#include "protocol/records/batch_iterator.h"
#include "protocol/records/batch_records.h"
#include "protocol/records/test/record_fixtures.h"

namespace samsa::protocol {
namespace {

TEST(ControlRecord, EncodesKeyAndMarkerValueAsKafkaDoes) {
  EXPECT_EQ(encode_control_record_key(control_record_type::commit), (std::array<uint8_t, 4>{0, 0, 0, 1}));
  EXPECT_EQ(encode_control_record_key(control_record_type::abort), (std::array<uint8_t, 4>{0, 0, 0, 0}));
  EXPECT_EQ(encode_end_txn_marker_value(0x01020304), (std::array<uint8_t, 6>{0, 0, 1, 2, 3, 4}));
}

TEST(ControlRecord, MarkerBatchRoundTrips) {
  end_txn_marker_batch m;
  m.base_offset = samsa::offset{42};
  m.partition_leader_epoch = samsa::leader_epoch{3};
  m.producer_id = samsa::producer_id{9000};
  m.producer_epoch = samsa::producer_epoch{7};
  m.timestamp_ms = 1700000000123;
  m.marker = {control_record_type::commit, 17};
  auto bytes = build_end_txn_marker_batch(m);
  ASSERT_TRUE(bytes.ok());

  batch_iterator it(*bytes);
  ASSERT_TRUE(it.next());
  const batch_view& b = it.batch();
  EXPECT_TRUE(b.attributes().is_control());
  EXPECT_TRUE(b.attributes().is_transactional());
  EXPECT_EQ(b.attributes().codec(), compression_codec::none);
  EXPECT_EQ(b.attributes().ts_type(), timestamp_type::create_time);
  EXPECT_EQ(b.base_offset(), samsa::offset{42});
  EXPECT_EQ(b.partition_leader_epoch(), samsa::leader_epoch{3});
  EXPECT_EQ(b.producer_id(), samsa::producer_id{9000});
  EXPECT_EQ(b.producer_epoch(), samsa::producer_epoch{7});
  EXPECT_EQ(b.base_sequence(), kNoSequence);
  EXPECT_EQ(b.records_count(), 1);
  EXPECT_EQ(b.last_offset_delta(), 0);
  EXPECT_EQ(b.max_timestamp_ms(), 1700000000123);

  auto recs = batch_records::open(b, 1 << 20);
  ASSERT_TRUE(recs.ok());
  record_reader reader = recs->reader();
  record_view r;
  ASSERT_TRUE(reader.next(r));
  auto marker = parse_end_txn_marker(r);
  ASSERT_TRUE(marker.ok());
  EXPECT_EQ(*marker, (end_txn_marker{control_record_type::commit, 17}));
  EXPECT_FALSE(reader.next(r));
  EXPECT_FALSE(reader.error().has_value());
}

TEST(ControlRecord, MarkerBatchIsByteIdenticalToAnIndependentEncoding) {
  // Written field by field with Python's struct module and kafka-python's CRC-32C
  // by fuzz/make_corpus.py (marker_batch); also the fuzzer's control seed.
  const std::vector<uint8_t> expected = testing::from_hex(
      "000000000000002a000000420000000302e3a6dba20030000000000000018bcfe568000000018bcfe568000000000000"
      "0023280007ffffffff000000012000000008000000010c00000000001100");
  end_txn_marker_batch m;
  m.base_offset = samsa::offset{42};
  m.partition_leader_epoch = samsa::leader_epoch{3};
  m.producer_id = samsa::producer_id{9000};
  m.producer_epoch = samsa::producer_epoch{7};
  m.timestamp_ms = 1700000000000;
  m.marker = {control_record_type::commit, 17};
  EXPECT_EQ(*build_end_txn_marker_batch(m), expected);
}

record_view record_with(const std::vector<uint8_t>& key, const std::vector<uint8_t>& value) {
  record_view r;
  r.key = std::span<const uint8_t>(key);
  r.value = std::span<const uint8_t>(value);
  return r;
}

TEST(ControlRecord, ParsesUnknownTypesSoReadersCanSkipThem) {
  const std::vector<uint8_t> key = {0, 0, 0, 99};
  EXPECT_EQ(*parse_control_record_type(std::span<const uint8_t>(key)), control_record_type::unknown);
  const std::vector<uint8_t> leader_change = {0, 0, 0, 2};
  EXPECT_EQ(*parse_control_record_type(std::span<const uint8_t>(leader_change)), control_record_type::leader_change);
}

TEST(ControlRecord, ReadsHigherVersionsAsVersionZero) {
  const std::vector<uint8_t> key = {0, 1, 0, 0, 0xEE};  // version 1, ABORT, an extra byte
  const std::vector<uint8_t> value = {0, 3, 0, 0, 0, 5, 0xEE};
  auto m = parse_end_txn_marker(record_with(key, value));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, (end_txn_marker{control_record_type::abort, 5}));
}

TEST(ControlRecord, RejectsShortNegativeVersionedOrNonMarkerRecords) {
  const std::vector<uint8_t> good_key = {0, 0, 0, 1};
  const std::vector<uint8_t> good_value = {0, 0, 0, 0, 0, 1};
  EXPECT_TRUE(parse_end_txn_marker(record_with(good_key, good_value)).ok());
  EXPECT_EQ(parse_end_txn_marker(record_with({0, 0, 0}, good_value)).error(), record_error::invalid_control_record);
  EXPECT_EQ(parse_end_txn_marker(record_with({0xff, 0xff, 0, 1}, good_value)).error(),
            record_error::invalid_control_record);
  EXPECT_EQ(parse_end_txn_marker(record_with(good_key, {0, 0, 0, 0, 1})).error(), record_error::invalid_control_record);
  EXPECT_EQ(parse_end_txn_marker(record_with(good_key, {0x80, 0, 0, 0, 0, 1})).error(),
            record_error::invalid_control_record);
  EXPECT_EQ(parse_end_txn_marker(record_with({0, 0, 0, 2}, good_value)).error(), record_error::invalid_control_record);
  record_view null_key;
  EXPECT_EQ(parse_end_txn_marker(null_key).error(), record_error::invalid_control_record);
}

}  // namespace
}  // namespace samsa::protocol
