// The byte form of metadata records (Kafka's MetadataRecordSerde).

#include <gtest/gtest.h>

#include "broker/controller/metadata_records.h"

namespace samsa::broker::testing {
namespace {

uuid some_id(uint8_t seed) {
  uuid u;
  for (size_t i = 0; i < 16; ++i) u.bytes[i] = static_cast<uint8_t>(seed + i);
  return u;
}

std::vector<metadata_record> one_of_each() {
  std::vector<metadata_record> out;
  protocol::topic_record t;
  t.name = "orders";
  t.topic_id = some_id(1);
  out.push_back(make_record(t));
  protocol::partition_record p;
  p.topic_id = some_id(1);
  p.partition_id = 2;
  p.replicas = {1};
  p.isr = {1};
  p.leader = 1;
  p.leader_epoch = 0;
  p.partition_epoch = 0;
  out.push_back(make_record(p));
  protocol::config_record c;
  c.resource_type = 2;
  c.resource_name = "orders";
  c.name = "retention.ms";
  c.value = "1000";
  out.push_back(make_record(c));
  c.value.reset();
  out.push_back(make_record(c));
  protocol::remove_topic_record r;
  r.topic_id = some_id(1);
  out.push_back(make_record(r));
  protocol::producer_ids_record ids;
  ids.broker_id = 1;
  ids.broker_epoch = -1;
  ids.next_producer_id = 2000;
  out.push_back(make_record(ids));
  protocol::feature_level_record f;
  f.name = "metadata.version";
  f.feature_level = 21;
  out.push_back(make_record(f));
  protocol::partition_change_record pc;
  pc.topic_id = some_id(1);
  pc.partition_id = 0;
  pc.leader = 1;
  pc.isr = std::vector<int32_t>{1};
  out.push_back(make_record(pc));
  out.push_back(make_record(protocol::no_op_record{}));
  return out;
}

TEST(MetadataRecords, EveryRecordTypeRoundTrips) {
  for (const auto& r : one_of_each()) {
    std::vector<uint8_t> bytes;
    encode_metadata_record(r, bytes);
    auto back = decode_metadata_record(bytes);
    ASSERT_TRUE(back) << describe_metadata_record(r) << ": " << back.error();
    EXPECT_EQ(*back, r) << describe_metadata_record(r);
  }
}

TEST(MetadataRecords, AValueStartsWithFrameVersionOneThenTypeThenVersion) {
  protocol::topic_record t;
  t.name = "a";
  t.topic_id = some_id(9);
  std::vector<uint8_t> bytes;
  encode_metadata_record(make_record(t), bytes);
  ASSERT_GE(bytes.size(), 3u);
  EXPECT_EQ(bytes[0], 1);  // frame version
  EXPECT_EQ(bytes[1], 2);  // TopicRecord
  EXPECT_EQ(bytes[2], 0);  // version 0
  // Flexible body: compact string "a" (length + 1 = 2), the uuid, no tagged fields.
  EXPECT_EQ(bytes[3], 2);
  EXPECT_EQ(bytes[4], 'a');
  EXPECT_EQ(bytes.size(), 3u + 2 + 16 + 1);
}

TEST(MetadataRecords, DecodingRefusesWhatKafkaRefuses) {
  std::vector<uint8_t> good;
  encode_metadata_record(make_record(protocol::no_op_record{}), good);
  auto frame0 = good;
  frame0[0] = 0;
  EXPECT_FALSE(decode_metadata_record(frame0));
  auto frame2 = good;
  frame2[0] = 2;
  EXPECT_FALSE(decode_metadata_record(frame2));
  auto unknown_type = good;
  unknown_type[1] = 99;
  EXPECT_FALSE(decode_metadata_record(unknown_type));
  auto future_version = good;
  future_version[2] = 5;
  EXPECT_FALSE(decode_metadata_record(future_version));
  auto trailing = good;
  trailing.push_back(0);
  EXPECT_FALSE(decode_metadata_record(trailing));
  EXPECT_FALSE(decode_metadata_record(std::span<const uint8_t>(good.data(), 2)));
}

}  // namespace
}  // namespace samsa::broker::testing
