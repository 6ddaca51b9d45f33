#include "common/crc32c.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string_view>
#include <vector>

namespace samsa {
namespace {

uint32_t crc_of(std::string_view s) { return crc32c(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

TEST(Crc32c, MatchesTheStandardCheckValue) { EXPECT_EQ(crc_of("123456789"), 0xE3069283u); }

TEST(Crc32c, MatchesPublishedVectorsFromRfc3720) {
  // iSCSI (RFC 3720, appendix B.4) test patterns.
  std::vector<uint8_t> buf(32, 0x00);
  EXPECT_EQ(crc32c(buf.data(), buf.size()), 0x8A9136AAu);
  std::fill(buf.begin(), buf.end(), 0xff);
  EXPECT_EQ(crc32c(buf.data(), buf.size()), 0x62A8AB43u);
  for (size_t i = 0; i < 32; ++i) buf[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(crc32c(buf.data(), buf.size()), 0x46DD794Eu);
  for (size_t i = 0; i < 32; ++i) buf[i] = static_cast<uint8_t>(31 - i);
  EXPECT_EQ(crc32c(buf.data(), buf.size()), 0x113FDB5Cu);
}

TEST(Crc32c, EmptyInputLeavesTheCrcUnchanged) {
  EXPECT_EQ(crc32c(nullptr, 0), 0u);
  EXPECT_EQ(crc32c(nullptr, 0, 0xdeadbeefu), 0xdeadbeefu);
}

TEST(Crc32c, ExtendingInPiecesEqualsOneCall) {
  std::mt19937 rng(7);
  std::vector<uint8_t> data(100000);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  const uint32_t whole = crc32c(data.data(), data.size());
  for (size_t split : {size_t{0}, size_t{1}, size_t{7}, size_t{4096}, size_t{50001}, data.size()}) {
    const uint32_t first = crc32c(data.data(), split);
    EXPECT_EQ(crc32c(data.data() + split, data.size() - split, first), whole) << "split at " << split;
  }
}

TEST(Crc32c, SoftwareMatchesTheStandardCheckValue) {
  const std::string_view s = "123456789";
  EXPECT_EQ(crc32c_software(reinterpret_cast<const uint8_t*>(s.data()), s.size()), 0xE3069283u);
}

TEST(Crc32c, HardwareAndSoftwareAgreeOnEveryLengthAndAlignment) {
  if (!crc32c_hardware_available()) GTEST_SKIP() << "no SSE4.2 on this CPU";
  std::mt19937 rng(42);
  std::vector<uint8_t> data(1000 + 16);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  for (size_t start = 0; start < 8; ++start) {
    for (size_t n = 0; n <= 1000; ++n) {
      const uint8_t* p = data.data() + start;
      const uint32_t seed = static_cast<uint32_t>(rng());
      ASSERT_EQ(crc32c_hardware(p, n, seed), crc32c_software(p, n, seed)) << "start " << start << " n " << n;
    }
  }
}

TEST(Crc32c, HardwareAndSoftwareAgreeOnLargeBuffersThatUseTheThreeWayPath) {
  if (!crc32c_hardware_available()) GTEST_SKIP() << "no SSE4.2 on this CPU";
  std::mt19937 rng(3);
  std::vector<uint8_t> data(3 * 8192 * 3 + 3 * 256 * 2 + 123);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  for (size_t n : {size_t{3 * 256}, size_t{3 * 256 + 5}, size_t{3 * 8192}, size_t{3 * 8192 + 3 * 256 + 9},
                   data.size() - 3}) {
    for (size_t start = 0; start < 3; ++start) {
      ASSERT_EQ(crc32c_hardware(data.data() + start, n), crc32c_software(data.data() + start, n)) << n;
    }
  }
}

TEST(Crc32c, FoldingAndSoftwareAgreeOnEveryLengthAndAlignmentAroundTheFoldingThresholds) {
  if (!crc32c_folding_available()) GTEST_SKIP() << "no AVX2 + VPCLMULQDQ on this CPU";
  std::mt19937 rng(11);
  std::vector<uint8_t> data(1300 + 32);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  for (size_t start = 0; start < 32; start += 3) {
    for (size_t n = 0; n <= 1300; ++n) {
      const uint8_t* p = data.data() + start;
      const uint32_t seed = static_cast<uint32_t>(rng());
      ASSERT_EQ(crc32c_folding(p, n, seed), crc32c_software(p, n, seed)) << "start " << start << " n " << n;
    }
  }
}

TEST(Crc32c, FoldingAndSoftwareAgreeOnLargeBuffersAndOnExtremeBytePatterns) {
  if (!crc32c_folding_available()) GTEST_SKIP() << "no AVX2 + VPCLMULQDQ on this CPU";
  std::mt19937 rng(5);
  std::vector<uint8_t> data((1 << 20) + 77);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  for (size_t n : {size_t{16 << 10}, size_t{64 << 10}, size_t{(1 << 20) + 77}}) {
    ASSERT_EQ(crc32c_folding(data.data(), n, 0x12345678u), crc32c_software(data.data(), n, 0x12345678u)) << n;
  }
  for (uint8_t fill : {uint8_t{0x00}, uint8_t{0xff}, uint8_t{0x80}, uint8_t{0x01}}) {
    std::fill(data.begin(), data.end(), fill);
    for (uint32_t seed : {0u, 0xffffffffu}) {
      ASSERT_EQ(crc32c_folding(data.data(), 4099, seed), crc32c_software(data.data(), 4099, seed))
          << int{fill} << " " << seed;
    }
  }
}

TEST(Crc32c, FoldingAndSoftwareAgreeAcrossWholeAndPartialFusedBlocks) {
  // The fused path takes ~6 KiB blocks; lengths around one and two blocks, odd
  // starts, and a seed each time exercise its merge of the two halves.
  if (!crc32c_folding_available()) GTEST_SKIP() << "no AVX2 + VPCLMULQDQ on this CPU";
  std::mt19937 rng(9);
  std::vector<uint8_t> data(13000);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  for (size_t n = 5900; n <= 12400; n += 7) {
    const size_t start = n % 5;
    const uint32_t seed = static_cast<uint32_t>(rng());
    ASSERT_EQ(crc32c_folding(data.data() + start, n, seed), crc32c_software(data.data() + start, n, seed)) << n;
  }
}

}  // namespace
}  // namespace samsa
