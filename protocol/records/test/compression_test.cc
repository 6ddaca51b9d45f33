#include "protocol/records/compression/compression.h"

#include <gtest/gtest.h>
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <random>

#include "common/endian.h"
#include "protocol/records/compression/codecs.h"

namespace samsa::protocol {
namespace {

constexpr size_t kLimit = 64 << 20;

std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

std::vector<uint8_t> compressible_bytes(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>("kafka record batch "[i % 19] + (i / 4096) % 3);
  return v;
}

std::vector<uint8_t> compressed(compression_codec c, std::span<const uint8_t> in) {
  std::vector<uint8_t> out;
  EXPECT_TRUE(compress(c, in, out).ok());
  return out;
}

class EachCompressedCodec : public ::testing::TestWithParam<compression_codec> {};

TEST_P(EachCompressedCodec, RoundTripsEmptySmallRandomAndRepetitiveInputs) {
  for (const auto& input : {std::vector<uint8_t>{}, std::vector<uint8_t>{'x'}, random_bytes(200000, 1),
                            compressible_bytes(300000)}) {
    const auto c = compressed(GetParam(), input);
    auto back = decompress(GetParam(), c, kLimit);
    ASSERT_TRUE(back.ok()) << back.error() << " size " << input.size();
    EXPECT_EQ(*back, input);
  }
}

TEST_P(EachCompressedCodec, AppendsAfterExistingBytes) {
  std::vector<uint8_t> out = {1, 2, 3};
  const auto input = compressible_bytes(1000);
  ASSERT_TRUE(compress(GetParam(), input, out).ok());
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(*decompress(GetParam(), std::span(out).subspan(3), kLimit), input);
}

TEST_P(EachCompressedCodec, RefusesADecompressionBombWithoutGrowingPastTheLimit) {
  const std::vector<uint8_t> zeros(16 << 20, 0);
  const auto bomb = compressed(GetParam(), zeros);
  ASSERT_LT(bomb.size(), 1u << 20);
  EXPECT_EQ(decompress(GetParam(), bomb, 1 << 20).error(), record_error::too_large);
  EXPECT_EQ(decompress(GetParam(), bomb, zeros.size() - 1).error(), record_error::too_large);
  auto exact = decompress(GetParam(), bomb, zeros.size());
  ASSERT_TRUE(exact.ok()) << exact.error();
  EXPECT_EQ(exact->size(), zeros.size());
}

TEST_P(EachCompressedCodec, AZeroLimitAcceptsOnlyEmptyOutput) {
  EXPECT_TRUE(decompress(GetParam(), compressed(GetParam(), {}), 0).ok());
  const std::vector<uint8_t> one = {'a'};
  EXPECT_EQ(decompress(GetParam(), compressed(GetParam(), one), 0).error(), record_error::too_large);
}

TEST_P(EachCompressedCodec, RejectsTruncatedInput) {
  const auto input = random_bytes(100000, 2);
  const auto c = compressed(GetParam(), input);
  for (size_t cut : {size_t{0}, size_t{1}, size_t{5}, size_t{17}, c.size() / 2, c.size() - 1}) {
    auto r = decompress(GetParam(), std::span(c).first(cut), kLimit);
    EXPECT_FALSE(r.ok() && *r == input) << "cut " << cut;
    if (!r.ok()) {
      EXPECT_EQ(r.error(), record_error::decompression_failed) << "cut " << cut;
    }
  }
}

TEST_P(EachCompressedCodec, SurvivesCorruptedInput) {
  const auto input = compressible_bytes(50000);
  const auto c = compressed(GetParam(), input);
  std::mt19937 rng(9);
  for (int i = 0; i < 300; ++i) {
    std::vector<uint8_t> bad = c;
    bad[rng() % bad.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
    auto r = decompress(GetParam(), bad, 1 << 20);  // any outcome but a crash
    if (r.ok()) {
      EXPECT_LE(r->size(), size_t{1} << 20);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Codecs, EachCompressedCodec,
                         ::testing::Values(compression_codec::gzip, compression_codec::snappy, compression_codec::lz4,
                                           compression_codec::zstd),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(Compression, NoneCopiesAndRespectsTheLimit) {
  const std::vector<uint8_t> in = {1, 2, 3};
  EXPECT_EQ(compressed(compression_codec::none, in), in);
  EXPECT_EQ(*decompress(compression_codec::none, in, 3), in);
  EXPECT_EQ(decompress(compression_codec::none, in, 2).error(), record_error::too_large);
}

TEST(Snappy, CompressesWithTheXerialFramingInThirtyTwoKibChunks) {
  const auto input = compressible_bytes(100000);
  std::vector<uint8_t> out;
  ASSERT_TRUE(snappy_compress_xerial(input, out).ok());
  const uint8_t header[16] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1};
  ASSERT_GE(out.size(), 16u);
  EXPECT_EQ(std::memcmp(out.data(), header, 16), 0);
  EXPECT_EQ(detect_snappy_framing(out), snappy_framing::xerial);
  // Walk the chunks: four of them (32 KiB x 3 + the rest), each a raw snappy block.
  size_t pos = 16, chunks = 0;
  while (pos < out.size()) {
    const int32_t n = load_be<int32_t>(out.data() + pos);
    auto block = snappy_decompress(std::span(out).subspan(pos + 4, n), kLimit);
    ASSERT_TRUE(block.ok());
    EXPECT_EQ(block->size(), chunks < 3 ? 32768u : 100000u - 3 * 32768u);
    pos += 4 + n;
    ++chunks;
  }
  EXPECT_EQ(chunks, 4u);
}

TEST(Snappy, ReadsRawBlocksAsLibrdkafkaWritesThem) {
  const auto input = compressible_bytes(70000);
  std::vector<uint8_t> raw;
  ASSERT_TRUE(snappy_compress_raw(input, raw).ok());
  EXPECT_EQ(detect_snappy_framing(raw), snappy_framing::raw);
  EXPECT_EQ(*decompress(compression_codec::snappy, raw, kLimit), input);
}

TEST(Snappy, AnEmptyXerialStreamIsJustTheHeader) {
  std::vector<uint8_t> out;
  ASSERT_TRUE(snappy_compress_xerial({}, out).ok());
  EXPECT_EQ(out.size(), 16u);
  EXPECT_TRUE(decompress(compression_codec::snappy, out, kLimit)->empty());
}

TEST(Snappy, ReadsConcatenatedXerialStreams) {
  const auto a = compressible_bytes(40000);
  const auto b = random_bytes(1000, 4);
  std::vector<uint8_t> both;
  ASSERT_TRUE(snappy_compress_xerial(a, both).ok());
  ASSERT_TRUE(snappy_compress_xerial(b, both).ok());
  std::vector<uint8_t> expect = a;
  expect.insert(expect.end(), b.begin(), b.end());
  EXPECT_EQ(*decompress(compression_codec::snappy, both, kLimit), expect);
}

TEST(Snappy, TreatsAShortInputWithTheMagicAsRaw) {
  const uint8_t magic_only[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
  EXPECT_EQ(detect_snappy_framing(magic_only), snappy_framing::raw);
  EXPECT_EQ(decompress(compression_codec::snappy, magic_only, kLimit).error(), record_error::decompression_failed);
}

TEST(Snappy, RefusesARawBlockWhoseDeclaredSizeExceedsTheLimitBeforeAllocating) {
  // Varint length 0xFFFFFFFF (4 GiB - 1) then nothing: refused on the header alone.
  const std::vector<uint8_t> liar = {0xff, 0xff, 0xff, 0xff, 0x0f};
  EXPECT_EQ(decompress(compression_codec::snappy, liar, 1 << 20).error(), record_error::too_large);
}

TEST(Lz4, WritesTheFrameHeaderKafkaWrites) {
  std::vector<uint8_t> out;
  ASSERT_TRUE(lz4_compress(compressible_bytes(1000), out, std::nullopt).ok());
  // magic, FLG 0x60 (v1, independent blocks, no checksums, no size), BD 0x40 (64 KiB), HC.
  const std::vector<uint8_t> header = {0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82};
  EXPECT_EQ(std::vector<uint8_t>(out.begin(), out.begin() + 7), header);
  EXPECT_EQ(load_be<uint32_t>(out.data() + out.size() - 4), 0u);  // end mark
}

std::vector<uint8_t> lz4_frame_with(const LZ4F_preferences_t& prefs, std::span<const uint8_t> in) {
  std::vector<uint8_t> out(LZ4F_compressFrameBound(in.size(), &prefs));
  const size_t n = LZ4F_compressFrame(out.data(), out.size(), in.data(), in.size(), &prefs);
  EXPECT_FALSE(LZ4F_isError(n));
  out.resize(n);
  return out;
}

TEST(Lz4, RejectsDependentBlocksAsKafkaDoes) {
  LZ4F_preferences_t prefs;
  std::memset(&prefs, 0, sizeof prefs);
  prefs.frameInfo.blockMode = LZ4F_blockLinked;
  prefs.frameInfo.blockSizeID = LZ4F_max64KB;
  // More than one block, or LZ4F quietly writes an independent frame.
  const auto frame = lz4_frame_with(prefs, compressible_bytes(200000));
  ASSERT_EQ(frame[4] & 0x20, 0);
  EXPECT_EQ(decompress(compression_codec::lz4, frame, kLimit).error(), record_error::decompression_failed);
}

TEST(Lz4, AcceptsContentSizeAndChecksumsThatOtherClientsWrite) {
  LZ4F_preferences_t prefs;
  std::memset(&prefs, 0, sizeof prefs);
  prefs.frameInfo.blockMode = LZ4F_blockIndependent;
  prefs.frameInfo.contentSize = 200000;
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  prefs.frameInfo.blockChecksumFlag = LZ4F_blockChecksumEnabled;
  prefs.frameInfo.blockSizeID = LZ4F_max4MB;
  const auto input = compressible_bytes(200000);
  EXPECT_EQ(*decompress(compression_codec::lz4, lz4_frame_with(prefs, input), kLimit), input);
}

TEST(Lz4, RejectsABadHeaderChecksum) {
  std::vector<uint8_t> out;
  ASSERT_TRUE(lz4_compress(compressible_bytes(1000), out, std::nullopt).ok());
  out[6] ^= 0xff;
  EXPECT_EQ(decompress(compression_codec::lz4, out, kLimit).error(), record_error::decompression_failed);
}

TEST(Lz4, IgnoresBytesAfterTheEndMarkAsKafkaDoes) {
  std::vector<uint8_t> out;
  const auto input = compressible_bytes(1000);
  ASSERT_TRUE(lz4_compress(input, out, std::nullopt).ok());
  out.push_back(0xAB);
  EXPECT_EQ(*decompress(compression_codec::lz4, out, kLimit), input);
}

TEST(Zstd, ReadsStreamedFramesWithoutAContentSize) {
  const auto input = compressible_bytes(300000);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);
  std::vector<uint8_t> out(ZSTD_compressBound(input.size()));
  const size_t n = ZSTD_compress2(cctx, out.data(), out.size(), input.data(), input.size());
  ZSTD_freeCCtx(cctx);
  ASSERT_FALSE(ZSTD_isError(n));
  out.resize(n);
  ASSERT_EQ(ZSTD_getFrameContentSize(out.data(), out.size()), ZSTD_CONTENTSIZE_UNKNOWN);
  EXPECT_EQ(*decompress(compression_codec::zstd, out, kLimit), input);
  EXPECT_EQ(decompress(compression_codec::zstd, out, 1000).error(), record_error::too_large);
}

TEST(Zstd, ReadsConcatenatedFramesAndRejectsTrailingGarbage) {
  const auto a = compressible_bytes(5000);
  const auto b = random_bytes(300, 5);
  std::vector<uint8_t> both;
  ASSERT_TRUE(zstd_compress(a, both, std::nullopt).ok());
  ASSERT_TRUE(zstd_compress(b, both, std::nullopt).ok());
  std::vector<uint8_t> expect = a;
  expect.insert(expect.end(), b.begin(), b.end());
  EXPECT_EQ(*decompress(compression_codec::zstd, both, kLimit), expect);
  both.push_back(0x00);
  EXPECT_EQ(decompress(compression_codec::zstd, both, kLimit).error(), record_error::decompression_failed);
}

TEST(Gzip, WritesAGzipMember) {
  std::vector<uint8_t> out;
  ASSERT_TRUE(gzip_compress(compressible_bytes(100), out, std::nullopt).ok());
  EXPECT_EQ(out[0], 0x1f);
  EXPECT_EQ(out[1], 0x8b);
  EXPECT_EQ(out[2], 8);  // deflate
}

TEST(Gzip, ReadsConcatenatedMembersAndIgnoresTrailingGarbageLikeJava) {
  const auto a = compressible_bytes(5000);
  const auto b = random_bytes(300, 6);
  std::vector<uint8_t> both;
  ASSERT_TRUE(gzip_compress(a, both, 1).ok());
  ASSERT_TRUE(gzip_compress(b, both, 9).ok());
  std::vector<uint8_t> expect = a;
  expect.insert(expect.end(), b.begin(), b.end());
  EXPECT_EQ(*decompress(compression_codec::gzip, both, kLimit), expect);
  both.push_back(0x42);
  both.push_back(0x43);
  EXPECT_EQ(*decompress(compression_codec::gzip, both, kLimit), expect);
}

TEST(Gzip, RejectsAZlibStreamWithoutTheGzipWrapper) {
  const auto input = compressible_bytes(1000);
  std::vector<uint8_t> z(compressBound(input.size()));
  uLongf n = z.size();
  ASSERT_EQ(compress2(z.data(), &n, input.data(), input.size(), 6), Z_OK);
  z.resize(n);
  EXPECT_EQ(decompress(compression_codec::gzip, z, kLimit).error(), record_error::decompression_failed);
}

}  // namespace
}  // namespace samsa::protocol
