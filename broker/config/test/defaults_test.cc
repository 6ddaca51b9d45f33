// The definition tables agree with Kafka 4.0. Each expectation names the
// Kafka constant it mirrors.

#include <gtest/gtest.h>

#include <set>

#include "broker/config/broker_config.h"
#include "broker/config/broker_config_defs.h"
#include "broker/config/parse_config.h"
#include "broker/config/topic_config_defs.h"

namespace samsa::broker::config {
namespace {

broker_config defaults_only() {
  auto c = broker_config::from_properties(properties{});
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
  return std::move(c).value();
}

std::optional<std::string> default_of(std::string_view name) {
  const config_def* d = find_broker_config_def(name);
  EXPECT_NE(d, nullptr) << name;
  return d ? default_text(*d) : std::nullopt;
}

std::optional<std::string> topic_default_of(std::string_view name) {
  const topic_config_def* d = find_topic_config_def(name);
  EXPECT_NE(d, nullptr) << name;
  return d ? default_text(d->def) : std::nullopt;
}

TEST(ConfigTables, EveryDefaultParsesAndPassesItsOwnValidator) {
  for (const config_def& d : broker_config_defs()) {
    EXPECT_TRUE(parse_config(d, std::nullopt).has_value()) << d.name;
  }
  for (const topic_config_def& t : topic_config_defs()) {
    EXPECT_TRUE(parse_config(t.def, std::nullopt).has_value()) << t.def.name;
  }
}

TEST(ConfigTables, NamesAreUniqueAndDocumented) {
  std::set<std::string_view> names;
  for (const config_def& d : broker_config_defs()) {
    EXPECT_TRUE(names.insert(d.name).second) << d.name;
    EXPECT_FALSE(d.doc.empty()) << d.name;
  }
  std::set<std::string_view> topic_names;
  for (const topic_config_def& t : topic_config_defs()) {
    EXPECT_TRUE(topic_names.insert(t.def.name).second) << t.def.name;
    EXPECT_FALSE(t.def.doc.empty()) << t.def.name;
  }
}

TEST(ConfigTables, TopicSynonymsAreBrokerConfigsOfTheSameTypeAndDefault) {
  for (const topic_config_def& t : topic_config_defs()) {
    for (const broker_synonym& s : t.broker_synonyms()) {
      const config_def* b = find_broker_config_def(s.name);
      ASSERT_NE(b, nullptr) << t.def.name << " -> " << s.name;
      if (s.unit == synonym_unit::same && s.name == t.server_default_name()) {
        EXPECT_EQ(b->type, t.def.type) << s.name;
      }
    }
  }
  // With nothing configured the broker-derived topic defaults equal the
  // topic-level defaults (LogConfig and the server defaults agree).
  broker_config c = defaults_only();
  for (const topic_config_def& t : topic_config_defs()) {
    EXPECT_EQ(to_kafka_string(c.topic_default(t.def.name), t.def.type), default_text(t.def)) << t.def.name;
  }
}

TEST(KafkaDefaults, SocketServerConfigs) {
  EXPECT_EQ(default_of("listeners"), "PLAINTEXT://:9092");                   // LISTENERS_DEFAULT
  EXPECT_EQ(default_of("advertised.listeners"), std::nullopt);               // null
  EXPECT_EQ(default_of("num.network.threads"), "3");                        // NUM_NETWORK_THREADS_DEFAULT
  EXPECT_EQ(default_of("socket.send.buffer.bytes"), "102400");              // 100 * 1024
  EXPECT_EQ(default_of("socket.receive.buffer.bytes"), "102400");           // 100 * 1024
  EXPECT_EQ(default_of("socket.request.max.bytes"), "104857600");           // 100 * 1024 * 1024
  EXPECT_EQ(default_of("socket.listen.backlog.size"), "50");                // SOCKET_LISTEN_BACKLOG_SIZE_DEFAULT
  EXPECT_EQ(default_of("max.connections"), "2147483647");                   // Integer.MAX_VALUE
  EXPECT_EQ(default_of("max.connections.per.ip"), "2147483647");            // Integer.MAX_VALUE
  EXPECT_EQ(default_of("connections.max.idle.ms"), "600000");               // 10 * 60 * 1000L
  EXPECT_EQ(default_of("queued.max.requests"), "500");                      // QUEUED_MAX_REQUESTS_DEFAULT
  EXPECT_EQ(default_of("queued.max.request.bytes"), "-1");                  // QUEUED_MAX_REQUEST_BYTES_DEFAULT
}

TEST(KafkaDefaults, ServerConfigs) {
  EXPECT_EQ(default_of("num.io.threads"), "8");                   // NUM_IO_THREADS_DEFAULT
  EXPECT_EQ(default_of("background.threads"), "10");              // BACKGROUND_THREADS_DEFAULT
  EXPECT_EQ(default_of("message.max.bytes"), "1048588");          // LogConfig.DEFAULT_MAX_MESSAGE_BYTES = 1 MiB + 12
  EXPECT_EQ(default_of("delete.topic.enable"), "true");           // DELETE_TOPIC_ENABLE_DEFAULT
  EXPECT_EQ(default_of("compression.type"), "producer");          // BrokerCompressionType.PRODUCER
  EXPECT_EQ(default_of("compression.gzip.level"), "-1");          // GZIP.defaultLevel() (Deflater.DEFAULT_COMPRESSION)
  EXPECT_EQ(default_of("compression.lz4.level"), "9");            // LZ4 DEFAULT_LEVEL
  EXPECT_EQ(default_of("compression.zstd.level"), "3");           // ZSTD DEFAULT_LEVEL
  EXPECT_EQ(default_of("fetch.max.bytes"), "57671680");           // FETCH_MAX_BYTES_DEFAULT = 55 MiB
  EXPECT_EQ(default_of("request.timeout.ms"), "30000");           // REQUEST_TIMEOUT_MS_DEFAULT
  EXPECT_EQ(default_of("authorizer.class.name"), "");             // AUTHORIZER_CLASS_NAME_DEFAULT
}

TEST(KafkaDefaults, ServerLogConfigs) {
  EXPECT_EQ(default_of("num.partitions"), "1");                                 // NUM_PARTITIONS_DEFAULT
  EXPECT_EQ(default_of("log.dir"), "/tmp/kafka-logs");                          // LOG_DIR_DEFAULT
  EXPECT_EQ(default_of("log.segment.bytes"), "1073741824");                     // LogConfig.DEFAULT_SEGMENT_BYTES
  EXPECT_EQ(default_of("log.roll.hours"), "168");                               // DEFAULT_SEGMENT_MS in hours
  EXPECT_EQ(default_of("log.retention.hours"), "168");                          // DEFAULT_RETENTION_MS in hours
  EXPECT_EQ(default_of("log.retention.ms"), std::nullopt);                      // null
  EXPECT_EQ(default_of("log.retention.bytes"), "-1");                           // LOG_RETENTION_BYTES_DEFAULT
  EXPECT_EQ(default_of("log.retention.check.interval.ms"), "300000");           // LOG_CLEANUP_INTERVAL_MS_DEFAULT
  EXPECT_EQ(default_of("log.cleanup.policy"), "delete");                        // LOG_CLEANUP_POLICY_DEFAULT
  EXPECT_EQ(default_of("log.index.size.max.bytes"), "10485760");                // LOG_INDEX_SIZE_MAX_BYTES_DEFAULT
  EXPECT_EQ(default_of("log.index.interval.bytes"), "4096");                    // LOG_INDEX_INTERVAL_BYTES_DEFAULT
  EXPECT_EQ(default_of("log.flush.interval.messages"), "9223372036854775807");  // Long.MAX_VALUE
  EXPECT_EQ(default_of("log.flush.scheduler.interval.ms"), "9223372036854775807");  // Long.MAX_VALUE
  EXPECT_EQ(default_of("log.flush.offset.checkpoint.interval.ms"), "60000");    // ..._DEFAULT
  EXPECT_EQ(default_of("log.segment.delete.delay.ms"), "60000");                // LOG_DELETE_DELAY_MS_DEFAULT
  EXPECT_EQ(default_of("num.recovery.threads.per.data.dir"), "2");              // 4.0 default (KIP-1030)
  EXPECT_EQ(default_of("log.message.timestamp.type"), "CreateTime");            // LOG_MESSAGE_TIMESTAMP_TYPE_DEFAULT
  EXPECT_EQ(default_of("log.message.timestamp.after.max.ms"), "3600000");       // 4.0 default (KIP-1030)
  EXPECT_EQ(default_of("min.insync.replicas"), "1");                            // MIN_IN_SYNC_REPLICAS_DEFAULT
  EXPECT_EQ(default_of("auto.create.topics.enable"), "true");                   // AUTO_CREATE_TOPICS_ENABLE_DEFAULT
  EXPECT_EQ(default_of("log.cleaner.min.cleanable.ratio"), "0.5");              // DEFAULT_MIN_CLEANABLE_DIRTY_RATIO
  EXPECT_EQ(default_of("log.cleaner.io.max.bytes.per.second"), "1.7976931348623157E308");  // Double.MAX_VALUE
  EXPECT_EQ(default_of("log.cleaner.dedupe.buffer.size"), "134217728");         // 128 MiB
  EXPECT_EQ(default_of("log.cleaner.delete.retention.ms"), "86400000");         // DEFAULT_DELETE_RETENTION_MS
}

TEST(KafkaDefaults, ReplicationAndCoordinatorConfigs) {
  EXPECT_EQ(default_of("default.replication.factor"), "1");                     // REPLICATION_FACTOR_DEFAULT
  EXPECT_EQ(default_of("replica.lag.time.max.ms"), "30000");                    // REPLICA_LAG_TIME_MAX_MS_DEFAULT
  EXPECT_EQ(default_of("replica.fetch.max.bytes"), "1048576");                  // REPLICA_FETCH_MAX_BYTES_DEFAULT
  EXPECT_EQ(default_of("replica.high.watermark.checkpoint.interval.ms"), "5000");
  EXPECT_EQ(default_of("unclean.leader.election.enable"), "false");             // DEFAULT_UNCLEAN_LEADER_ELECTION_ENABLE
  EXPECT_EQ(default_of("leader.imbalance.per.broker.percentage"), "10");
  EXPECT_EQ(default_of("security.inter.broker.protocol"), "PLAINTEXT");
  EXPECT_EQ(default_of("offsets.topic.num.partitions"), "50");                  // OFFSETS_TOPIC_PARTITIONS_DEFAULT
  EXPECT_EQ(default_of("offsets.topic.replication.factor"), "3");               // OFFSETS_TOPIC_REPLICATION_FACTOR_DEFAULT
  EXPECT_EQ(default_of("offsets.retention.minutes"), "10080");                  // 7 * 24 * 60
  EXPECT_EQ(default_of("offsets.topic.segment.bytes"), "104857600");            // 100 MiB
  EXPECT_EQ(default_of("offsets.commit.timeout.ms"), "5000");
  EXPECT_EQ(default_of("offsets.load.buffer.size"), "5242880");                 // 5 MiB
  EXPECT_EQ(default_of("group.initial.rebalance.delay.ms"), "3000");
  EXPECT_EQ(default_of("group.min.session.timeout.ms"), "6000");
  EXPECT_EQ(default_of("group.max.session.timeout.ms"), "1800000");
  EXPECT_EQ(default_of("group.coordinator.rebalance.protocols"), "classic,consumer");
  EXPECT_EQ(default_of("group.consumer.session.timeout.ms"), "45000");
  EXPECT_EQ(default_of("group.consumer.heartbeat.interval.ms"), "5000");
  EXPECT_EQ(default_of("transaction.state.log.num.partitions"), "50");
  EXPECT_EQ(default_of("transaction.state.log.replication.factor"), "3");
  EXPECT_EQ(default_of("transaction.state.log.min.isr"), "2");
  EXPECT_EQ(default_of("transaction.max.timeout.ms"), "900000");                // 15 minutes
  EXPECT_EQ(default_of("transactional.id.expiration.ms"), "604800000");         // 7 days
  EXPECT_EQ(default_of("producer.id.expiration.ms"), "86400000");               // 1 day
  EXPECT_EQ(default_of("transaction.abort.timed.out.transaction.cleanup.interval.ms"), "10000");
}

TEST(KafkaDefaults, TopicConfigs) {
  EXPECT_EQ(topic_default_of("segment.bytes"), "1073741824");          // DEFAULT_SEGMENT_BYTES
  EXPECT_EQ(topic_default_of("segment.ms"), "604800000");              // DEFAULT_SEGMENT_MS
  EXPECT_EQ(topic_default_of("retention.ms"), "604800000");            // DEFAULT_RETENTION_MS
  EXPECT_EQ(topic_default_of("retention.bytes"), "-1");
  EXPECT_EQ(topic_default_of("cleanup.policy"), "delete");
  EXPECT_EQ(topic_default_of("max.message.bytes"), "1048588");         // DEFAULT_MAX_MESSAGE_BYTES
  EXPECT_EQ(topic_default_of("min.cleanable.dirty.ratio"), "0.5");
  EXPECT_EQ(topic_default_of("message.timestamp.after.max.ms"), "3600000");  // KIP-1030
  EXPECT_EQ(topic_default_of("local.retention.ms"), "-2");             // DEFAULT_LOCAL_RETENTION_MS
  EXPECT_EQ(topic_default_of("remote.storage.enable"), "false");
}

TEST(KafkaValidators, SegmentBytesMinimumIsOneMebibyteSinceKafka4) {
  // KIP-1030 raised segment.bytes / log.segment.bytes' minimum from 14 to 1 MiB in 4.0.
  auto e = parse_config(find_topic_config_def("segment.bytes")->def, "1048575");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message, "Invalid value 1048575 for configuration segment.bytes: Value must be at least 1048576");
  EXPECT_TRUE(parse_config(*find_broker_config_def("log.segment.bytes"), "1048576").has_value());
}

TEST(KafkaValidators, ConfigsRemovedInKafka4AreUnknown) {
  EXPECT_EQ(find_broker_config_def("log.message.format.version"), nullptr);         // KIP-724
  EXPECT_EQ(find_broker_config_def("log.message.timestamp.difference.max.ms"), nullptr);  // KIP-937
  EXPECT_EQ(find_broker_config_def("offsets.commit.required.acks"), nullptr);       // KIP-1041
  EXPECT_EQ(find_broker_config_def("zookeeper.connect"), nullptr);
  EXPECT_EQ(find_topic_config_def("message.format.version"), nullptr);
  EXPECT_EQ(find_topic_config_def("message.timestamp.difference.max.ms"), nullptr);
}

TEST(DynamicConfigs, UpdateModesFollowDynamicBrokerConfig) {
  auto mode = [](std::string_view n) { return find_broker_config_def(n)->mode; };
  // Per-broker: listener and SSL/SASL configs.
  EXPECT_EQ(mode("listeners"), update_mode::per_broker);
  EXPECT_EQ(mode("advertised.listeners"), update_mode::per_broker);
  EXPECT_EQ(mode("ssl.keystore.location"), update_mode::per_broker);
  EXPECT_EQ(mode("sasl.jaas.config"), update_mode::per_broker);
  // Cluster-wide: first broker synonyms of topic configs, thread pools, connection limits.
  EXPECT_EQ(mode("log.retention.ms"), update_mode::cluster_wide);
  EXPECT_EQ(mode("log.segment.bytes"), update_mode::cluster_wide);
  EXPECT_EQ(mode("num.io.threads"), update_mode::cluster_wide);
  EXPECT_EQ(mode("num.network.threads"), update_mode::cluster_wide);
  EXPECT_EQ(mode("max.connections"), update_mode::cluster_wide);
  EXPECT_EQ(mode("message.max.bytes"), update_mode::cluster_wide);
  // Only the first synonym is dynamic: log.retention.hours needs a restart.
  EXPECT_EQ(mode("log.retention.hours"), update_mode::read_only);
  EXPECT_EQ(mode("log.roll.hours"), update_mode::read_only);
  EXPECT_EQ(mode("node.id"), update_mode::read_only);
  EXPECT_EQ(mode("log.dirs"), update_mode::read_only);
  // Every topic config's first broker synonym is dynamic (DynamicLogConfig).
  for (const topic_config_def& t : topic_config_defs()) {
    if (t.synonym_count == 0) continue;
    EXPECT_EQ(mode(t.server_default_name()), update_mode::cluster_wide) << t.server_default_name();
  }
}

}  // namespace
}  // namespace samsa::broker::config
