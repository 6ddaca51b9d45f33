#include "broker/groups/consumer_offsets_records.h"

#include <gtest/gtest.h>

namespace samsa::broker::groups {
namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> v) {
  std::vector<uint8_t> out;
  for (int b : v) out.push_back(static_cast<uint8_t>(b));
  return out;
}

TEST(ConsumerOffsetsRecords, OffsetCommitKeyIsVersionOneGroupTopicPartition) {
  EXPECT_EQ(encode_key(offset_commit_key{"g", "t", 3}),
            bytes({0, 1, 0, 1, 'g', 0, 1, 't', 0, 0, 0, 3}));
}

TEST(ConsumerOffsetsRecords, GroupMetadataKeyIsVersionTwoGroup) {
  EXPECT_EQ(encode_key(group_metadata_key{"gr"}), bytes({0, 2, 0, 2, 'g', 'r'}));
}

TEST(ConsumerOffsetsRecords, OffsetCommitValueIsVersionThreeWithoutExpiry) {
  offset_commit_value v{42, 5, "m", 1000, std::nullopt};
  EXPECT_EQ(encode_value(v), bytes({0, 3, 0, 0, 0, 0, 0, 0, 0, 42, 0, 0, 0, 5, 0, 1, 'm', 0, 0, 0, 0, 0, 0, 0x03, 0xE8}));
  auto back = decode_offset_commit_value(encode_value(v));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->offset, 42);
  EXPECT_EQ(back->leader_epoch, 5);
  EXPECT_EQ(back->metadata, "m");
  EXPECT_EQ(back->commit_timestamp_ms, 1000);
  EXPECT_FALSE(back->expire_timestamp_ms);
}

TEST(ConsumerOffsetsRecords, OffsetCommitValueWithExpiryIsVersionOne) {
  offset_commit_value v{7, 9, "", 1, 2};
  auto enc = encode_value(v);
  EXPECT_EQ(enc[1], 1);
  auto back = decode_offset_commit_value(enc);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->offset, 7);
  EXPECT_EQ(back->leader_epoch, -1);  // v1 has no leader epoch
  EXPECT_EQ(back->expire_timestamp_ms, 2);
}

TEST(ConsumerOffsetsRecords, GroupMetadataValueRoundTripsWithMembers) {
  group_metadata_value v;
  v.protocol_type = "consumer";
  v.generation = 4;
  v.protocol = "range";
  v.leader = "m1";
  v.current_state_timestamp_ms = 123;
  group_member_record m;
  m.member_id = "m1";
  m.group_instance_id = "i1";
  m.client_id = "c";
  m.client_host = "/127.0.0.1";
  m.rebalance_timeout_ms = 300000;
  m.session_timeout_ms = 45000;
  m.subscription = {1, 2};
  m.assignment = {3};
  v.members.push_back(m);
  auto enc = encode_value(v);
  EXPECT_EQ(enc[1], 3);
  auto back = decode_group_metadata_value(enc);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->protocol_type, "consumer");
  EXPECT_EQ(back->generation, 4);
  EXPECT_EQ(back->protocol, "range");
  EXPECT_EQ(back->leader, "m1");
  ASSERT_EQ(back->members.size(), 1u);
  EXPECT_EQ(back->members[0].group_instance_id, "i1");
  EXPECT_EQ(back->members[0].subscription, std::vector<uint8_t>({1, 2}));
  EXPECT_EQ(back->members[0].assignment, std::vector<uint8_t>({3}));
}

TEST(ConsumerOffsetsRecords, KeysOfOtherRecordTypesAreSkipped) {
  EXPECT_FALSE(decode_key(bytes({0, 3, 0, 1, 'g'})));  // ConsumerGroupMetadataKey
  EXPECT_FALSE(decode_key(bytes({0, 1, 0, 5, 'g'})));  // truncated
  auto k = decode_key(encode_key(offset_commit_key{"g", "t", 1}));
  ASSERT_TRUE(k);
  EXPECT_EQ(std::get<offset_commit_key>(*k).topic, "t");
}

}  // namespace
}  // namespace samsa::broker::groups
