#include "broker/groups/coordinator_partition.h"

#include <gtest/gtest.h>

namespace samsa::broker::groups {
namespace {

TEST(CoordinatorPartition, HashesGroupIdsAsJavaStringHashCode) {
  EXPECT_EQ(java_string_hash_code(""), 0);
  EXPECT_EQ(java_string_hash_code("a"), 97);
  EXPECT_EQ(java_string_hash_code("hello"), 99162322);
  EXPECT_EQ(java_string_hash_code("my-group"), -1906497762);
  // A code point above U+FFFF hashes as its two UTF-16 surrogates.
  EXPECT_EQ(java_string_hash_code("\xF0\x9F\x98\x80"), 0xD83D * 31 + 0xDE00);
  EXPECT_EQ(java_string_hash_code("\xC3\xA9"), 0xE9);
}

TEST(CoordinatorPartition, PartitionIsAbsOfHashModuloPartitions) {
  EXPECT_EQ(coordinator_partition_for("my-group", 50), 1906497762 % 50);
  // "polygenelubricants".hashCode() is Integer.MIN_VALUE: Utils.abs maps it to 0.
  EXPECT_EQ(java_string_hash_code("polygenelubricants"), INT32_MIN);
  EXPECT_EQ(coordinator_partition_for("polygenelubricants", 50), 0);
  const int32_t h = java_string_hash_code("group-7");
  EXPECT_EQ(coordinator_partition_for("group-7", 50), (h < 0 ? -h : h) % 50);
}

}  // namespace
}  // namespace samsa::broker::groups
