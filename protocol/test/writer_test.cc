#include <gtest/gtest.h>

#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace samsa::protocol {
namespace {

class counting_source : public spliced_source {
 public:
  explicit counting_source(std::vector<uint8_t> b) : bytes_(std::move(b)) {}
  size_t size() const override { return bytes_.size(); }
  void copy_to(uint8_t* dst) const override { std::copy(bytes_.begin(), bytes_.end(), dst); }

 private:
  std::vector<uint8_t> bytes_;
};

TEST(Writer, UvarintSizesMatchWhatIsWritten) {
  for (uint32_t v : {0u, 1u, 127u, 128u, 16383u, 16384u, 0x1fffffu, 0x200000u, 0xfffffffu, 0xffffffffu}) {
    encoded_message m;
    {
      writer w(m);
      w.write_uvarint(v);
    }
    EXPECT_EQ(m.bytes.size(), uvarint_size(v)) << v;
    reader r(std::span<const uint8_t>(m.bytes.data(), m.bytes.size()));
    EXPECT_EQ(r.read_uvarint(), v);
  }
}

TEST(Writer, NullableFieldsUseMinusOneOrCompactZero) {
  encoded_message m;
  {
    writer w(m);
    w.write_string(std::optional<std::string>(), false, true);
    w.write_string(std::optional<std::string>(), true, true);
    w.write_bytes(std::optional<std::vector<uint8_t>>(), false, true);
  }
  std::vector<uint8_t> want = {0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0xff};
  EXPECT_EQ(std::vector<uint8_t>(m.bytes.begin(), m.bytes.end()), want);
}

TEST(Writer, NullInANonNullableVersionIsWrittenAsEmpty) {
  encoded_message m;
  {
    writer w(m);
    w.write_string(std::optional<std::string>(), false, false);
  }
  std::vector<uint8_t> want = {0x00, 0x00};
  EXPECT_EQ(std::vector<uint8_t>(m.bytes.begin(), m.bytes.end()), want);
}

TEST(Writer, SplicedRecordsAreNotCopiedIntoTheBuffer) {
  auto src = std::make_shared<counting_source>(std::vector<uint8_t>{9, 8, 7});
  encoded_message m;
  {
    writer w(m);
    w.write_int8(1);
    w.write_records(records::spliced(src), false, true);
    w.write_int8(2);
  }
  EXPECT_EQ(m.bytes.size(), 1u + 4u + 1u);
  ASSERT_EQ(m.splices.size(), 1u);
  EXPECT_EQ(m.splices[0].position, 5u);
  std::vector<uint8_t> want = {1, 0, 0, 0, 3, 9, 8, 7, 2};
  EXPECT_EQ(m.flatten(), want);
  EXPECT_EQ(m.total_size(), want.size());
}

TEST(Writer, GrowsPastItsInitialHint) {
  encoded_message m;
  {
    writer w(m, 2);
    for (int i = 0; i < 10000; ++i) w.write_int32(i);
  }
  ASSERT_EQ(m.bytes.size(), 40000u);
  reader r(std::span<const uint8_t>(m.bytes.data(), m.bytes.size()));
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(r.read_int32(), i);
}

}  // namespace
}  // namespace samsa::protocol
