#include "protocol/records/record_reader.h"

#include <gtest/gtest.h>

#include <limits>

#include "protocol/records/batch_builder.h"
#include "protocol/records/test/record_fixtures.h"
#include "protocol/records/varint.h"

namespace samsa::protocol {
namespace {

using testing::bytes_of;
using testing::string_of;

std::vector<uint8_t> varint_bytes(int32_t v) {
  std::vector<uint8_t> out;
  append_varint(out, v);
  return out;
}

TEST(Varint, UsesZigzagEncoding) {
  EXPECT_EQ(varint_bytes(0), (std::vector<uint8_t>{0x00}));
  EXPECT_EQ(varint_bytes(-1), (std::vector<uint8_t>{0x01}));
  EXPECT_EQ(varint_bytes(1), (std::vector<uint8_t>{0x02}));
  EXPECT_EQ(varint_bytes(63), (std::vector<uint8_t>{0x7e}));
  EXPECT_EQ(varint_bytes(64), (std::vector<uint8_t>{0x80, 0x01}));
  EXPECT_EQ(varint_bytes(std::numeric_limits<int32_t>::min()), (std::vector<uint8_t>{0xff, 0xff, 0xff, 0xff, 0x0f}));
  EXPECT_EQ(varint_size(std::numeric_limits<int32_t>::max()), 5u);
  EXPECT_EQ(varlong_size(std::numeric_limits<int64_t>::min()), 10u);
}

TEST(Varint, RoundTripsExtremeValues) {
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, std::numeric_limits<int64_t>::max(),
                    std::numeric_limits<int64_t>::min(), int64_t{1700000000000}}) {
    std::vector<uint8_t> buf;
    append_varlong(buf, v);
    byte_cursor c(buf);
    int64_t out = 0;
    ASSERT_TRUE(c.read_varlong(out));
    EXPECT_EQ(out, v);
    EXPECT_EQ(c.remaining(), 0u);
  }
}

TEST(Varint, RejectsAContinuationBitOnTheLastAllowedByte) {
  const std::vector<uint8_t> six = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  byte_cursor c(six);
  int32_t v = 0;
  EXPECT_FALSE(c.read_varint(v));
  const std::vector<uint8_t> eleven = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  byte_cursor c2(eleven);
  int64_t l = 0;
  EXPECT_FALSE(c2.read_varlong(l));
}

TEST(Varint, IgnoresOverflowBitsInTheFifthByteAsKafkaDoes) {
  const std::vector<uint8_t> b = {0xfe, 0xff, 0xff, 0xff, 0x7f};  // top bits of the last byte past 32
  byte_cursor c(b);
  int32_t v = 0;
  ASSERT_TRUE(c.read_varint(v));
  EXPECT_EQ(v, std::numeric_limits<int32_t>::max());
}

TEST(Varint, RejectsTruncatedInput) {
  const std::vector<uint8_t> b = {0x80, 0x80};
  byte_cursor c(b);
  int32_t v = 0;
  EXPECT_FALSE(c.read_varint(v));
}

// One- and two-byte encodings take the inline path, three bytes the loop: every
// value across those boundaries reads back, and every cut of it is refused.
TEST(Varint, ReadsBackEveryValueAroundTheOneAndTwoByteBoundaries) {
  for (int32_t v = -20000; v <= 20000; ++v) {
    std::vector<uint8_t> buf;
    append_varint(buf, v);
    byte_cursor c(buf);
    int32_t out = 0;
    ASSERT_TRUE(c.read_varint(out)) << v;
    ASSERT_EQ(out, v);
    ASSERT_EQ(c.remaining(), 0u);
    byte_cursor l(buf);
    int64_t out_long = 0;
    ASSERT_TRUE(l.read_varlong(out_long)) << v;
    ASSERT_EQ(out_long, v);
    for (size_t cut = 0; cut < buf.size(); ++cut) {
      byte_cursor t(std::span<const uint8_t>(buf).first(cut));
      ASSERT_FALSE(t.read_varint(out)) << v << " cut at " << cut;
      byte_cursor tl(std::span<const uint8_t>(buf).first(cut));
      ASSERT_FALSE(tl.read_varlong(out_long)) << v << " cut at " << cut;
    }
  }
}

// A record written by hand from the format table.
std::vector<uint8_t> hand_record() {
  std::vector<uint8_t> body = {
      0x00,                 // attributes
      0x0a,                 // timestampDelta 5
      0x04,                 // offsetDelta 2
      0x02, 'k',            // key "k"
      0x01,                 // value null
      0x04,                 // 2 headers
      0x02, 'a', 0x02, 'b', // a = "b"
      0x02, 'c', 0x01,      // c = null
  };
  std::vector<uint8_t> out = varint_bytes(static_cast<int32_t>(body.size()));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

TEST(RecordReader, DecodesAHandWrittenRecord) {
  const std::vector<uint8_t> rec = hand_record();
  record_reader reader(rec, 1);
  record_view r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.timestamp_delta, 5);
  EXPECT_EQ(r.offset_delta, 2);
  ASSERT_TRUE(r.key.has_value());
  EXPECT_EQ(string_of(*r.key), "k");
  EXPECT_FALSE(r.value.has_value());
  EXPECT_EQ(r.header_count, 2);
  EXPECT_EQ(r.size_bytes, rec.size());
  header_reader hr(r);
  record_header_view h;
  ASSERT_TRUE(hr.next(h));
  EXPECT_EQ(h.key_string(), "a");
  EXPECT_EQ(string_of(*h.value), "b");
  ASSERT_TRUE(hr.next(h));
  EXPECT_EQ(h.key_string(), "c");
  EXPECT_FALSE(h.value.has_value());
  EXPECT_FALSE(hr.next(h));
  EXPECT_FALSE(reader.next(r));
  EXPECT_FALSE(reader.error().has_value());
}

TEST(RecordReader, MatchesWhatTheBuilderEncodes) {
  std::vector<uint8_t> mine;
  const std::vector<record_header_view> headers = {{bytes_of("a"), bytes_of("b")}, {bytes_of("c"), std::nullopt}};
  record_input in;
  in.key = bytes_of("k");
  in.headers = headers;
  append_encoded_record(mine, 2, 5, in);
  EXPECT_EQ(mine, hand_record());
}

TEST(RecordReader, RejectsEveryTruncationOfARecord) {
  const std::vector<uint8_t> rec = hand_record();
  for (size_t n = 0; n < rec.size(); ++n) {
    record_reader reader(std::span<const uint8_t>(rec).first(n), 1);
    record_view r;
    EXPECT_FALSE(reader.next(r)) << n;
    ASSERT_TRUE(reader.error().has_value());
    EXPECT_EQ(*reader.error(), n == 0 ? record_error::record_count_mismatch : record_error::invalid_record) << n;
  }
}

TEST(RecordReader, RejectsARecordThatEndsBeforeItsLengthSays) {
  std::vector<uint8_t> rec = hand_record();
  rec[0] = static_cast<uint8_t>(rec[0] + 2);  // claim one more byte
  rec.push_back(0);
  record_reader reader(rec, 1);
  record_view r;
  EXPECT_FALSE(reader.next(r));
  EXPECT_EQ(reader.error(), record_error::invalid_record);
}

TEST(RecordReader, RejectsNegativeHeaderCountsAndHeaderKeys) {
  std::vector<uint8_t> rec = hand_record();
  rec[1 + 6] = 0x01;  // header count -1
  record_reader reader(rec, 1);
  record_view r;
  EXPECT_FALSE(reader.next(r));
  EXPECT_EQ(reader.error(), record_error::invalid_record);

  rec = hand_record();
  rec[1 + 7] = 0x01;  // first header key length -1
  record_reader reader2(rec, 1);
  EXPECT_FALSE(reader2.next(r));
  EXPECT_EQ(reader2.error(), record_error::invalid_record);
}

TEST(RecordReader, ReadsAnyNegativeValueLengthAsNullLikeKafka) {
  std::vector<uint8_t> rec = hand_record();
  rec[1 + 5] = 0x09;  // value length -5
  record_reader reader(rec, 1);
  record_view r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_FALSE(r.value.has_value());
}

TEST(RecordReader, RejectsCountsThatDisagreeWithTheRecords) {
  std::vector<uint8_t> two = hand_record();
  const std::vector<uint8_t> one = hand_record();
  two.insert(two.end(), one.begin(), one.end());
  record_view r;

  record_reader fewer(two, 1);  // bytes left after the declared count
  ASSERT_TRUE(fewer.next(r));
  EXPECT_FALSE(fewer.next(r));
  EXPECT_EQ(fewer.error(), record_error::record_count_mismatch);

  record_reader more(two, 3);  // buffer ends before the declared count
  ASSERT_TRUE(more.next(r));
  ASSERT_TRUE(more.next(r));
  EXPECT_FALSE(more.next(r));
  EXPECT_EQ(more.error(), record_error::record_count_mismatch);

  record_reader negative(two, -1);
  EXPECT_FALSE(negative.next(r));
  EXPECT_EQ(negative.error(), record_error::record_count_mismatch);
}

TEST(RecordReader, RejectsTrailingGarbageAfterTheLastRecord) {
  std::vector<uint8_t> rec = hand_record();
  rec.push_back(0x00);
  record_reader reader(rec, 1);
  record_view r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_FALSE(reader.next(r));
  EXPECT_EQ(reader.error(), record_error::record_count_mismatch);
}

TEST(RecordReader, AcceptsOffsetDeltasThatAreNotConsecutive) {
  // Kafka leaves this to the log validator (see README.md): the reader only parses.
  std::vector<uint8_t> buf;
  record_input in;
  append_encoded_record(buf, 0, 0, in);
  append_encoded_record(buf, 7, 0, in);
  append_encoded_record(buf, 3, 0, in);
  record_reader reader(buf, 3);
  record_view r;
  int n = 0;
  while (reader.next(r)) ++n;
  EXPECT_EQ(n, 3);
  EXPECT_FALSE(reader.error().has_value());
}

}  // namespace
}  // namespace samsa::protocol
