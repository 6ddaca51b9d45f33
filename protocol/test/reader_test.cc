#include <gtest/gtest.h>

#include <vector>

#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace samsa::protocol {
namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> v) {
  std::vector<uint8_t> out;
  for (int x : v) out.push_back(static_cast<uint8_t>(x));
  return out;
}

TEST(Reader, ReadsFixedWidthIntegersBigEndian) {
  auto b = bytes({0x01, 0x02, 0xff, 0xfe, 0x00, 0x00, 0x00, 0x2a});
  reader r(b);
  EXPECT_EQ(r.read_int16(), 0x0102);
  EXPECT_EQ(r.read_int16(), -2);
  EXPECT_EQ(r.read_int32(), 42);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(Reader, ReadingPastTheEndFailsAndSticks) {
  auto b = bytes({0x01, 0x02, 0x03});
  reader r(b);
  EXPECT_EQ(r.read_int32(), 0);
  EXPECT_EQ(r.error(), decode_error::truncated);
  EXPECT_EQ(r.read_int8(), 0);
  EXPECT_EQ(r.error(), decode_error::truncated);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(Reader, DecodesUnsignedAndZigZagVarints) {
  auto b = bytes({0x00, 0x7f, 0x80, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02, 0x03});
  reader r(b);
  EXPECT_EQ(r.read_uvarint(), 0u);
  EXPECT_EQ(r.read_uvarint(), 127u);
  EXPECT_EQ(r.read_uvarint(), 128u);
  EXPECT_EQ(r.read_uvarint(), 0xffffffffu);
  EXPECT_EQ(r.read_varint(), -1);
  EXPECT_EQ(r.read_varint(), 1);
  EXPECT_EQ(r.read_varint(), -2);
  EXPECT_TRUE(r.ok());
}

TEST(Reader, RefusesAVarintLongerThanFiveBytes) {
  auto b = bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0x01});
  reader r(b);
  r.read_uvarint();
  EXPECT_EQ(r.error(), decode_error::varint_too_long);
}

TEST(Reader, RefusesAFifthVarintByteWithBitsBeyondThirtyTwo) {
  auto b = bytes({0xff, 0xff, 0xff, 0xff, 0x1f});
  reader r(b);
  r.read_uvarint();
  EXPECT_EQ(r.error(), decode_error::varint_too_long);
}

TEST(Reader, VarlongRoundTripsExtremes) {
  encoded_message m;
  {
    writer w(m);
    w.write_varlong(INT64_MIN);
    w.write_varlong(INT64_MAX);
    w.write_varlong(0);
    w.write_varint(INT32_MIN);
  }
  reader r(std::span<const uint8_t>(m.bytes.data(), m.bytes.size()));
  EXPECT_EQ(r.read_varlong(), INT64_MIN);
  EXPECT_EQ(r.read_varlong(), INT64_MAX);
  EXPECT_EQ(r.read_varlong(), 0);
  EXPECT_EQ(r.read_varint(), INT32_MIN);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(Reader, NullStringIsRefusedWhereNotNullable) {
  auto b = bytes({0xff, 0xff});
  std::string s;
  reader r(b);
  r.read_string(s, false);
  EXPECT_EQ(r.error(), decode_error::null_not_allowed);
}

TEST(Reader, NullStringIsAcceptedWhereNullable) {
  auto b = bytes({0xff, 0xff, 0x00});  // int16 -1, then compact null (0)
  std::optional<std::string> s = "x", t = "y";
  reader r(b);
  r.read_string(s, false, true);
  r.read_string(t, true, true);
  EXPECT_TRUE(r.ok());
  EXPECT_FALSE(s.has_value());
  EXPECT_FALSE(t.has_value());
}

TEST(Reader, StringLongerThanTheFrameIsTruncationNotAnAllocation) {
  auto b = bytes({0x7f, 0xff, 'a'});
  std::string s;
  reader r(b);
  r.read_string(s, false);
  EXPECT_EQ(r.error(), decode_error::truncated);
  EXPECT_TRUE(s.empty());
}

TEST(Reader, CompactStringLongerThanKafkasLimitIsRefused) {
  encoded_message m;
  {
    writer w(m);
    w.write_uvarint(0x8001);  // length 0x8000
  }
  std::string s;
  reader r(std::span<const uint8_t>(m.bytes.data(), m.bytes.size()));
  r.read_string(s, true);
  EXPECT_EQ(r.error(), decode_error::string_too_long);
}

TEST(Reader, ArrayCountBeyondTheRemainingBytesIsRefused) {
  auto b = bytes({0x7f, 0xff, 0xff, 0xff, 0x00, 0x00});
  reader r(b);
  EXPECT_EQ(r.read_array_length(false, false, 1), -1);
  EXPECT_EQ(r.error(), decode_error::collection_too_large);
}

TEST(Reader, ArrayCountIsBoundedByTheElementSize) {
  auto b = bytes({0x00, 0x00, 0x00, 0x02, 0, 0, 0, 1});  // two int32 claimed, one present
  reader r(b);
  EXPECT_EQ(r.read_array_length(false, false, 4), -1);
  EXPECT_EQ(r.error(), decode_error::collection_too_large);
}

TEST(Reader, RecordsAreAViewIntoTheInputNotACopy) {
  auto b = bytes({0x00, 0x00, 0x00, 0x03, 'a', 'b', 'c'});
  records rec;
  reader r(b);
  r.read_records(rec, false, true);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(rec.is_null());
  EXPECT_EQ(rec.size(), 3u);
  EXPECT_EQ(rec.view().data(), b.data() + 4);
}

TEST(Reader, RecordsKeepTheirOwnerAlive) {
  auto owner = std::make_shared<std::vector<uint8_t>>(bytes({0x02, 'z'}));  // compact length 1
  records rec;
  {
    reader r(std::span<const uint8_t>(owner->data(), owner->size()), owner);
    r.read_records(rec, true, true);
  }
  std::weak_ptr<std::vector<uint8_t>> weak = owner;
  owner.reset();
  EXPECT_FALSE(weak.expired());
  EXPECT_EQ(rec.view()[0], 'z');
}

}  // namespace
}  // namespace samsa::protocol
