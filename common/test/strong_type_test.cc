#include <gtest/gtest.h>

#include <type_traits>

#include "common/kafka_types.h"

namespace samsa {

TEST(StrongType, OffsetsCompareByValue) {
  EXPECT_LT(offset{1}, offset{2});
  EXPECT_EQ(offset{7}, offset{7});
  EXPECT_EQ(offset{}.value(), 0);
}

TEST(StrongType, DistinctTagsAreDistinctTypes) {
  static_assert(!std::is_convertible_v<offset, leader_epoch>);
  static_assert(!std::is_convertible_v<int64_t, offset>);
  EXPECT_EQ(std::hash<offset>{}(offset{42}), std::hash<int64_t>{}(42));
}

}  // namespace samsa
