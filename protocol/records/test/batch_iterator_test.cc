#include "protocol/records/batch_iterator.h"

#include <gtest/gtest.h>

#include "common/endian.h"
#include "protocol/records/test/record_fixtures.h"

namespace samsa::protocol {
namespace {

using testing::build_batch;
using testing::three_records;

std::vector<uint8_t> two_batches(size_t* first_size) {
  batch_builder_options o;
  std::vector<uint8_t> a = build_batch(o, three_records());
  o.base_offset = samsa::offset{3};
  o.compression = compression_codec::lz4;
  std::vector<uint8_t> b = build_batch(o, three_records());
  *first_size = a.size();
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(BatchIterator, SplitsConcatenatedBatches) {
  size_t first = 0;
  const std::vector<uint8_t> buf = two_batches(&first);
  batch_iterator it(buf);
  ASSERT_TRUE(it.next());
  EXPECT_EQ(it.batch().size_bytes(), first);
  EXPECT_EQ(it.batch().base_offset(), samsa::offset{0});
  ASSERT_TRUE(it.next());
  EXPECT_EQ(it.batch().base_offset(), samsa::offset{3});
  EXPECT_EQ(it.batch().attributes().codec(), compression_codec::lz4);
  EXPECT_FALSE(it.next());
  EXPECT_FALSE(it.error().has_value());
  EXPECT_EQ(it.position(), buf.size());
  EXPECT_FALSE(it.next());  // stays at the end
}

TEST(BatchIterator, AnEmptyBufferHasNoBatchesAndNoError) {
  batch_iterator it(std::span<const uint8_t>{});
  EXPECT_FALSE(it.next());
  EXPECT_FALSE(it.error().has_value());
}

TEST(BatchIterator, ReportsATruncatedTailAsAPartialBatchAtEveryCutPoint) {
  size_t first = 0;
  const std::vector<uint8_t> buf = two_batches(&first);
  for (size_t cut = first + 1; cut < buf.size(); ++cut) {
    batch_iterator it(std::span<const uint8_t>(buf).first(cut));
    ASSERT_TRUE(it.next());
    EXPECT_FALSE(it.next());
    ASSERT_TRUE(it.error().has_value()) << cut;
    EXPECT_EQ(*it.error(), record_error::partial_batch) << "cut at " << cut;
    EXPECT_EQ(it.position(), first);  // the valid prefix ends at the first batch
  }
}

TEST(BatchIterator, ReportsLegacyMagicInsteadOfParsingIt) {
  size_t first = 0;
  std::vector<uint8_t> buf = two_batches(&first);
  buf[first + batch_layout::kMagic] = 1;
  batch_iterator it(buf);
  ASSERT_TRUE(it.next());
  EXPECT_FALSE(it.next());
  EXPECT_EQ(it.error(), record_error::unsupported_magic);
  buf[first + batch_layout::kMagic] = 9;
  batch_iterator it2(buf);
  ASSERT_TRUE(it2.next());
  EXPECT_FALSE(it2.next());
  EXPECT_EQ(it2.error(), record_error::invalid_magic);
}

TEST(BatchIterator, RejectsBatchLengthsBelowTheHeaderAndNegativeOnes) {
  std::vector<uint8_t> buf = build_batch({}, three_records());
  store_be<int32_t>(buf.data() + batch_layout::kBatchLength, 48);
  batch_iterator it(buf);
  EXPECT_FALSE(it.next());
  EXPECT_EQ(it.error(), record_error::invalid_length);
  store_be<int32_t>(buf.data() + batch_layout::kBatchLength, -5);
  batch_iterator it2(buf);
  EXPECT_FALSE(it2.next());
  EXPECT_EQ(it2.error(), record_error::invalid_length);
}

TEST(BatchIterator, ABatchLengthPastTheBufferIsAPartialBatch) {
  std::vector<uint8_t> buf = build_batch({}, three_records());
  store_be<int32_t>(buf.data() + batch_layout::kBatchLength, 0x7fffffff);
  batch_iterator it(buf);
  EXPECT_FALSE(it.next());
  EXPECT_EQ(it.error(), record_error::partial_batch);
}

TEST(BatchIterator, StopsAtACorruptCrcUnlessAskedToSkipTheCheck) {
  size_t first = 0;
  std::vector<uint8_t> buf = two_batches(&first);
  buf[first + 40] ^= 0x01;  // maxTimestamp of the second batch
  batch_iterator it(buf);
  ASSERT_TRUE(it.next());
  EXPECT_FALSE(it.next());
  EXPECT_EQ(it.error(), record_error::corrupt_crc);
  EXPECT_EQ(it.position(), first);

  batch_iterator lax(buf, crc_check::skip);
  ASSERT_TRUE(lax.next());
  ASSERT_TRUE(lax.next());
  EXPECT_FALSE(lax.batch().crc_matches());
}

TEST(BatchIterator, ReportsFewerThanTwelveTrailingBytesAsPartial) {
  std::vector<uint8_t> buf = build_batch({}, three_records());
  const size_t whole = buf.size();
  buf.resize(whole + 11, 0);
  batch_iterator it(buf);
  ASSERT_TRUE(it.next());
  EXPECT_FALSE(it.next());
  EXPECT_EQ(it.error(), record_error::partial_batch);
  EXPECT_EQ(it.position(), whole);
}

}  // namespace
}  // namespace samsa::protocol
