#include "broker/config/topic_config.h"

#include <gtest/gtest.h>

#include "broker/config/describe.h"

namespace samsa::broker::config {
namespace {

broker_config broker(std::initializer_list<std::pair<std::string, std::string>> kv = {}) {
  properties p;
  for (const auto& [k, v] : kv) p.set(k, v);
  auto c = broker_config::from_properties(std::move(p));
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
  return std::move(c).value();
}

std::vector<topic_config_override> overrides(std::initializer_list<std::pair<std::string, std::string>> kv) {
  std::vector<topic_config_override> out;
  for (const auto& [k, v] : kv) out.push_back({k, v});
  return out;
}

std::string error_of(const broker_config& b, const std::vector<topic_config_override>& o) {
  auto r = validate_topic_config(b, o);
  EXPECT_FALSE(r.has_value());
  return r ? std::string() : r.error().message;
}

TEST(TopicConfig, WithoutOverridesEveryValueIsTheBrokerDefault) {
  auto b = broker({{"log.retention.hours", "24"}, {"log.cleanup.policy", "compact,delete"}});
  auto t = topic_config::resolve(b, properties{});
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->retention_ms(), 24LL * 3600 * 1000);
  EXPECT_TRUE(t->compact());
  EXPECT_TRUE(t->delete_retention_enabled());
  EXPECT_EQ(t->segment_bytes(), 1073741824);
  EXPECT_EQ(t->compression_type(), "producer");
  EXPECT_EQ(t->message_timestamp_type(), timestamp_type::create_time);
  EXPECT_EQ(t->local_retention_ms(), t->retention_ms());  // -2 resolves to retention.ms
}

TEST(TopicConfig, OverridesWinOverBrokerDefaults) {
  auto b = broker({{"log.retention.hours", "24"}});
  auto t = topic_config::resolve(
      b, overrides({{"retention.ms", "1000"}, {"cleanup.policy", "compact"}, {"message.timestamp.type", "LogAppendTime"}}));
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t->retention_ms(), 1000);
  EXPECT_TRUE(t->compact());
  EXPECT_FALSE(t->delete_retention_enabled());
  EXPECT_EQ(t->message_timestamp_type(), timestamp_type::log_append_time);
  EXPECT_TRUE(t->is_overridden("retention.ms"));
  EXPECT_FALSE(t->is_overridden("segment.ms"));
}

TEST(TopicConfig, UnknownNamesAreInvalidConfig) {
  auto b = broker();
  EXPECT_EQ(error_of(b, overrides({{"retention.hours", "1"}})), "Unknown topic config name: retention.hours");
  // Removed in Kafka 4.0.
  EXPECT_EQ(error_of(b, overrides({{"message.format.version", "3.0"}})),
            "Unknown topic config name: message.format.version");
  // Broker names are not topic names.
  EXPECT_EQ(error_of(b, overrides({{"log.retention.ms", "1"}})), "Unknown topic config name: log.retention.ms");
}

TEST(TopicConfig, NullValuesAreInvalidConfig) {
  auto b = broker();
  std::vector<topic_config_override> o{{"retention.ms", std::nullopt}, {"segment.ms", std::nullopt}};
  EXPECT_EQ(error_of(b, o), "Null value not supported for topic configs: retention.ms,segment.ms");
}

TEST(TopicConfig, BadValuesAreInvalidConfigWithKafkasMessage) {
  auto b = broker();
  EXPECT_EQ(error_of(b, overrides({{"segment.bytes", "abc"}})),
            "Invalid value abc for configuration segment.bytes: Not a number of type INT");
  EXPECT_EQ(error_of(b, overrides({{"retention.ms", "-2"}})),
            "Invalid value -2 for configuration retention.ms: Value must be at least -1");
  EXPECT_EQ(error_of(b, overrides({{"cleanup.policy", "compact,archive"}})),
            "Invalid value archive for configuration cleanup.policy: String must be one of: compact, delete");
  EXPECT_EQ(error_of(b, overrides({{"compression.type", "brotli"}})),
            "Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, "
            "snappy, gzip, producer");
  EXPECT_EQ(error_of(b, overrides({{"min.cleanable.dirty.ratio", "1.5"}})),
            "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1");
  EXPECT_EQ(error_of(b, overrides({{"unclean.leader.election.enable", "maybe"}})),
            "Invalid value maybe for configuration unclean.leader.election.enable: Expected value to be either true or "
            "false");
}

TEST(TopicConfig, MinCompactionLagMayNotExceedMax) {
  auto b = broker();
  EXPECT_EQ(error_of(b, overrides({{"min.compaction.lag.ms", "5"}, {"max.compaction.lag.ms", "4"}})),
            "conflict topic config setting min.compaction.lag.ms (5) > max.compaction.lag.ms (4)");
}

TEST(TopicConfig, RemoteStorageIsRefusedAsWithTieredStorageDisabled) {
  auto b = broker();
  EXPECT_EQ(error_of(b, overrides({{"remote.storage.enable", "true"}})),
            "Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log "
            "storage.");
  EXPECT_TRUE(validate_topic_config(b, overrides({{"remote.storage.enable", "false"}})).has_value());
}

TEST(TopicConfig, SourcesAreReportedAsDescribeConfigsDoes) {
  auto b = broker({{"log.segment.bytes", "2097152"}, {"log.retention.ms", "5000"}});
  auto t = topic_config::resolve(b, overrides({{"cleanup.policy", "compact"}}));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(topic_config_source(b, *t, "cleanup.policy"), config_source::topic_config);
  EXPECT_EQ(topic_config_source(b, *t, "segment.bytes"), config_source::static_broker_config);
  EXPECT_EQ(topic_config_source(b, *t, "retention.ms"), config_source::static_broker_config);
  EXPECT_EQ(topic_config_source(b, *t, "max.message.bytes"), config_source::default_config);
}

}  // namespace
}  // namespace samsa::broker::config
