#include "storage/validation/log_validator.h"

#include <gtest/gtest.h>

#include "common/endian.h"
#include "storage/test/log_fixture.h"

namespace samsa::storage {
namespace {

using namespace testing;
using protocol::batch_view;
using protocol::compression_codec;
using protocol::timestamp_type;

validator_params params_at(int64_t now = kT0) {
  validator_params p;
  p.now_ms = now;
  p.partition_leader_epoch = leader_epoch{7};
  return p;
}

TEST(LogValidator, AssignsOffsetsAndStampsTheEpochInPlace) {
  std::vector<uint8_t> b = simple_batch(3);
  auto r = validate_and_assign_offsets(b, offset{100}, params_at());
  ASSERT_TRUE(r) << r.error();
  EXPECT_FALSE(r->rebuilt);
  const batch_view v = batch_view::from_prefix(b).value();
  EXPECT_EQ(v.base_offset(), offset{100});
  EXPECT_EQ(v.last_offset(), offset{102});
  EXPECT_EQ(v.partition_leader_epoch(), leader_epoch{7});
  EXPECT_TRUE(v.crc_matches());
  EXPECT_EQ(r->max_timestamp_ms, kT0 + 2);
  EXPECT_EQ(r->shallow_offset_of_max_timestamp, offset{102});
}

TEST(LogValidator, OverwritesTheProducersMaxTimestampWithTheRealMaximum) {
  std::vector<uint8_t> b = simple_batch(3);
  store_be<int64_t>(b.data() + protocol::batch_layout::kMaxTimestamp, 1);
  batch_view::from_prefix(b).value();
  protocol::mutable_batch_view::from_prefix(b)->update_crc();
  auto r = validate_and_assign_offsets(b, offset{0}, params_at());
  ASSERT_TRUE(r);
  const batch_view v = batch_view::from_prefix(b).value();
  EXPECT_EQ(v.max_timestamp_ms(), kT0 + 2);
  EXPECT_TRUE(v.crc_matches());
}

TEST(LogValidator, StampsLogAppendTimeWhenTheTopicAsksForIt) {
  std::vector<uint8_t> b = simple_batch(2);
  validator_params p = params_at(kT0 + 5000);
  p.timestamp_type = timestamp_type::log_append_time;
  auto r = validate_and_assign_offsets(b, offset{0}, p);
  ASSERT_TRUE(r);
  const batch_view v = batch_view::from_prefix(b).value();
  EXPECT_EQ(v.attributes().ts_type(), timestamp_type::log_append_time);
  EXPECT_EQ(v.max_timestamp_ms(), kT0 + 5000);
  EXPECT_TRUE(v.crc_matches());
  EXPECT_EQ(r->shallow_offset_of_max_timestamp, offset{1});
}

TEST(LogValidator, RejectsTimestampsOutsideTheConfiguredWindowNamingEachRecord) {
  batch_spec s;
  s.records = {{"a", "1", kT0 - 10'000}, {"b", "2", kT0}, {"c", "3", kT0 + 10'000}};
  std::vector<uint8_t> b = make_batch(s);
  validator_params p = params_at();
  p.timestamp_before_max_ms = 1000;
  p.timestamp_after_max_ms = 1000;
  auto r = validate_and_assign_offsets(b, offset{0}, p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), errc::invalid_timestamp);
  ASSERT_EQ(r.error_value().record_errors.size(), 2u);
  EXPECT_EQ(r.error_value().record_errors[0].batch_index, 0);
  EXPECT_EQ(r.error_value().record_errors[1].batch_index, 2);
}

TEST(LogValidator, AcceptsRecordsWithoutATimestampWhateverTheWindow) {
  batch_spec s;
  s.records = {{"a", "1", -1}};
  std::vector<uint8_t> b = make_batch(s);
  validator_params p = params_at();
  p.timestamp_before_max_ms = 0;
  p.timestamp_after_max_ms = 0;
  EXPECT_TRUE(validate_and_assign_offsets(b, offset{0}, p));
}

TEST(LogValidator, RejectsAProducerBatchClaimingLogAppendTimeWithoutATimestamp) {
  // Kafka reads every record of a LogAppendTime batch as the batch's maxTimestamp:
  // with a real time it passes the CreateTime window check; with -1 it is refused.
  batch_spec s;
  s.records = {{"a", "1", -1}};
  s.ts_type = timestamp_type::log_append_time;
  std::vector<uint8_t> b = make_batch(s);
  EXPECT_TRUE(validate_and_assign_offsets(b, offset{0}, params_at()));
  std::vector<uint8_t> c = make_batch(s);
  store_be<int64_t>(c.data() + protocol::batch_layout::kMaxTimestamp, -1);
  protocol::mutable_batch_view::from_prefix(c)->update_crc();
  auto r = validate_and_assign_offsets(c, offset{0}, params_at());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), errc::invalid_timestamp);
}

TEST(LogValidator, RejectsKeylessRecordsOnACompactedTopic) {
  batch_spec s;
  s.records = {{"a", "1"}, {std::nullopt, "2"}};
  std::vector<uint8_t> b = make_batch(s);
  validator_params p = params_at();
  p.compacted = true;
  auto r = validate_and_assign_offsets(b, offset{0}, p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), errc::invalid_record);
  ASSERT_EQ(r.error_value().record_errors.size(), 1u);
  EXPECT_EQ(r.error_value().record_errors[0].batch_index, 1);
}

TEST(LogValidator, RejectsControlBatchesFromClientsButNotFromTheCoordinator) {
  std::vector<uint8_t> m = marker_batch(5, 0, true);
  auto r = validate_and_assign_offsets(m, offset{0}, params_at());
  EXPECT_EQ(r.code(), errc::invalid_record);
  validator_params p = params_at();
  p.origin = append_origin::coordinator;
  std::vector<uint8_t> m2 = marker_batch(5, 0, true);
  EXPECT_TRUE(validate_and_assign_offsets(m2, offset{0}, p));
}

TEST(LogValidator, RejectsAProducerIdWithoutASequence) {
  std::vector<uint8_t> b = idempotent_batch(9, 0, 0, 1);
  store_be<int32_t>(b.data() + protocol::batch_layout::kBaseSequence, -1);
  protocol::mutable_batch_view::from_prefix(b)->update_crc();
  EXPECT_EQ(validate_and_assign_offsets(b, offset{0}, params_at()).code(), errc::invalid_record);
}

TEST(LogValidator, RejectsARecordCountThatDisagreesWithTheOffsetRange) {
  std::vector<uint8_t> b = simple_batch(3);
  store_be<int32_t>(b.data() + protocol::batch_layout::kLastOffsetDelta, 5);
  protocol::mutable_batch_view::from_prefix(b)->update_crc();
  EXPECT_EQ(validate_and_assign_offsets(b, offset{0}, params_at()).code(), errc::invalid_record);
}

TEST(LogValidator, KeepsACompressedBatchInPlaceWhenTheCodecsMatch) {
  batch_spec s;
  s.compression = compression_codec::lz4;
  s.records = {{"a", "1"}, {"b", "2"}};
  std::vector<uint8_t> b = make_batch(s);
  auto r = validate_and_assign_offsets(b, offset{10}, params_at());
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->rebuilt);
  EXPECT_EQ(batch_view::from_prefix(b)->last_offset(), offset{11});
}

TEST(LogValidator, RecompressesWhenTheTopicCodecDiffersFromTheProducers) {
  std::vector<uint8_t> b = simple_batch(5, 100);
  validator_params p = params_at();
  p.compression.producer = false;
  p.compression.codec = compression_codec::gzip;
  auto r = validate_and_assign_offsets(b, offset{10}, p);
  ASSERT_TRUE(r) << r.error();
  ASSERT_TRUE(r->rebuilt);
  const batch_view v = batch_view::from_prefix(r->rebuilt_batch).value();
  EXPECT_EQ(v.attributes().codec(), compression_codec::gzip);
  EXPECT_EQ(v.base_offset(), offset{10});
  EXPECT_EQ(v.last_offset(), offset{14});
  EXPECT_EQ(v.partition_leader_epoch(), leader_epoch{7});
  auto recs = records_of(r->rebuilt_batch);
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(recs[4].key, "k4");
}

TEST(LogValidator, FollowsJavasWrappingArithmeticForTimestampWindows) {
  EXPECT_FALSE(timestamp_out_of_range(INT64_MIN + 5, kT0, INT64_MAX, INT64_MAX));
  EXPECT_TRUE(timestamp_out_of_range(kT0 - 2, kT0, 1, 1));
  EXPECT_FALSE(timestamp_out_of_range(kT0 + 1, kT0, 1, 1));
}

}  // namespace
}  // namespace samsa::storage
