#include <gtest/gtest.h>

#include "common/endian.h"

namespace samsa {

TEST(Endian, StoresMostSignificantByteFirst) {
  uint8_t b[8];
  store_be<uint32_t>(b, 0x01020304u);
  EXPECT_EQ(b[0], 1);
  EXPECT_EQ(b[3], 4);
  store_be<int64_t>(b, -2);
  EXPECT_EQ(b[0], 0xff);
  EXPECT_EQ(b[7], 0xfe);
  EXPECT_EQ(load_be<int64_t>(b), -2);
}

TEST(Endian, LoadsWhatWasStoredForEveryWidth) {
  uint8_t b[8];
  store_be<int16_t>(b, -12345);
  EXPECT_EQ(load_be<int16_t>(b), -12345);
  store_be<uint64_t>(b, 0x0102030405060708ull);
  EXPECT_EQ(load_be<uint64_t>(b), 0x0102030405060708ull);
  EXPECT_EQ(b[0], 1);
}

}  // namespace samsa
