#include "broker/config/broker_config.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace samsa::broker::config {
namespace {

properties props(std::initializer_list<std::pair<std::string, std::string>> kv) {
  properties p;
  for (const auto& [k, v] : kv) p.set(k, v);
  return p;
}

broker_config build(properties p, std::vector<config_warning>* warnings = nullptr) {
  auto c = broker_config::from_properties(std::move(p), warnings);
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
  return std::move(c).value();
}

std::string error_of(properties p) {
  auto c = broker_config::from_properties(std::move(p));
  EXPECT_FALSE(c.has_value());
  return c ? std::string() : c.error().message;
}

TEST(BrokerConfig, OnlyListenersAndLogDirsGiveASingleNodeBroker) {
  auto c = build(props({{"listeners", "PLAINTEXT://localhost:9092"}, {"log.dirs", "./data"}}));
  EXPECT_EQ(c.node_id(), 1);
  EXPECT_EQ(c.get_int("broker.id"), 1);
  ASSERT_EQ(c.listeners().size(), 1u);
  EXPECT_EQ(c.listeners()[0].listener_name, "PLAINTEXT");
  EXPECT_EQ(c.listeners()[0].host, "localhost");
  EXPECT_EQ(c.listeners()[0].port, 9092);
  EXPECT_EQ(c.advertised_listeners(), c.listeners());
  EXPECT_EQ(c.inter_broker_listener_name(), "PLAINTEXT");
  EXPECT_EQ(c.log_dirs(), std::vector<std::string>{"./data"});
  EXPECT_EQ(c.metadata_log_dir(), "./data");
}

TEST(BrokerConfig, ConvenienceGettersReadKafkasDefaults) {
  auto c = build(props({}));
  EXPECT_EQ(c.num_network_threads(), 3);
  EXPECT_EQ(c.num_io_threads(), 8);
  EXPECT_EQ(c.socket_send_buffer_bytes(), 102400);
  EXPECT_EQ(c.socket_receive_buffer_bytes(), 102400);
  EXPECT_EQ(c.socket_request_max_bytes(), 104857600);
  EXPECT_EQ(c.socket_listen_backlog_size(), 50);
  EXPECT_EQ(c.max_connections(), INT32_MAX);
  EXPECT_EQ(c.max_connections_per_ip(), INT32_MAX);
  EXPECT_EQ(c.connections_max_idle_ms(), 600000);
  EXPECT_EQ(c.queued_max_requests(), 500);
  EXPECT_EQ(c.queued_max_request_bytes(), -1);
  EXPECT_EQ(c.message_max_bytes(), 1048588);
  EXPECT_EQ(c.num_partitions(), 1);
  EXPECT_EQ(c.default_replication_factor(), 1);
  EXPECT_TRUE(c.auto_create_topics_enable());
  EXPECT_TRUE(c.delete_topic_enable());
  EXPECT_EQ(c.offsets_topic_num_partitions(), 50);
  EXPECT_EQ(c.offsets_topic_replication_factor(), 3);
  EXPECT_EQ(c.transaction_state_log_num_partitions(), 50);
  EXPECT_EQ(c.transaction_state_log_replication_factor(), 3);
  EXPECT_EQ(c.offsets_retention_ms(), 7LL * 24 * 3600 * 1000);
  EXPECT_EQ(c.get_optional_string("broker.rack"), std::nullopt);
  EXPECT_EQ(c.get_double("log.cleaner.min.cleanable.ratio"), 0.5);
}

TEST(BrokerConfig, NodeIdAndBrokerIdMirrorEachOther) {
  auto a = build(props({{"node.id", "7"}}));
  EXPECT_EQ(a.node_id(), 7);
  EXPECT_EQ(a.get_int("broker.id"), 7);
  EXPECT_EQ(a.originals().get("broker.id"), "7");
  auto b = build(props({{"broker.id", "3"}}));
  EXPECT_EQ(b.node_id(), 3);
  EXPECT_EQ(error_of(props({{"node.id", "1"}, {"broker.id", "2"}})),
            "You must set `node.id` to the same value as `broker.id`.");
  EXPECT_NE(error_of(props({{"node.id", "-1"}})).find("node.id"), std::string::npos);
}

TEST(BrokerConfig, ProcessRolesAreOptionalButMustIncludeTheBroker) {
  build(props({{"process.roles", "broker,controller"}}));
  std::vector<config_warning> warnings;
  build(props({{"process.roles", "broker"}}), &warnings);
  EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [](const auto& w) { return w.key == "process.roles"; }));
  EXPECT_NE(error_of(props({{"process.roles", "controller"}})).find("not supported"), std::string::npos);
  EXPECT_EQ(error_of(props({{"process.roles", "broker,broker"}})),
            "Duplicate role names found in `process.roles`: [broker, broker]");
  EXPECT_EQ(error_of(props({{"process.roles", "broker,worker"}})),
            "Invalid value worker for configuration process.roles: String must be one of: broker, controller");
}

TEST(BrokerConfig, MalformedValuesAreRefusedNamingKeyValueAndExpectation) {
  EXPECT_EQ(error_of(props({{"num.io.threads", "eight"}})),
            "Invalid value eight for configuration num.io.threads: Not a number of type INT");
  EXPECT_EQ(error_of(props({{"num.io.threads", "0"}})),
            "Invalid value 0 for configuration num.io.threads: Value must be at least 1");
  EXPECT_EQ(error_of(props({{"auto.create.topics.enable", "yes"}})),
            "Invalid value yes for configuration auto.create.topics.enable: Expected value to be either true or false");
  EXPECT_EQ(error_of(props({{"log.cleanup.policy", "delete,archive"}})),
            "Invalid value archive for configuration log.cleanup.policy: String must be one of: compact, delete");
  EXPECT_EQ(error_of(props({{"log.segment.bytes", "1000"}})),
            "Invalid value 1000 for configuration log.segment.bytes: Value must be at least 1048576");
}

TEST(BrokerConfig, RetentionMsWinsOverMinutesWhichWinOverHours) {
  EXPECT_EQ(build(props({})).log_retention_ms(), 168LL * 3600 * 1000);
  EXPECT_EQ(build(props({{"log.retention.hours", "24"}})).log_retention_ms(), 24LL * 3600 * 1000);
  EXPECT_EQ(build(props({{"log.retention.hours", "24"}, {"log.retention.minutes", "30"}})).log_retention_ms(),
            30LL * 60 * 1000);
  EXPECT_EQ(build(props({{"log.retention.hours", "24"}, {"log.retention.minutes", "30"}, {"log.retention.ms", "1234"}}))
                .log_retention_ms(),
            1234);
  // Any negative value means unlimited.
  EXPECT_EQ(build(props({{"log.retention.hours", "-5"}})).log_retention_ms(), -1);
  EXPECT_EQ(error_of(props({{"log.retention.ms", "0"}})),
            "log.retention.ms must be unlimited (-1) or, greater than or equal to 1");
}

TEST(BrokerConfig, RollAndFlushFallBackToTheirSecondarySynonyms) {
  auto c = build(props({{"log.roll.hours", "2"}, {"log.roll.jitter.hours", "1"}}));
  EXPECT_EQ(c.log_roll_ms(), 2LL * 3600 * 1000);
  EXPECT_EQ(c.log_roll_jitter_ms(), 3600LL * 1000);
  EXPECT_EQ(c.log_flush_interval_ms(), INT64_MAX);  // log.flush.scheduler.interval.ms
  EXPECT_EQ(build(props({{"log.roll.ms", "5"}, {"log.roll.hours", "2"}})).log_roll_ms(), 5);
  EXPECT_EQ(build(props({{"log.flush.scheduler.interval.ms", "1000"}})).log_flush_interval_ms(), 1000);
  EXPECT_EQ(error_of(props({{"log.roll.ms", "0"}})), "log.roll.ms must be greater than or equal to 1");
}

TEST(BrokerConfig, TopicDefaultsComeFromBrokerSynonyms) {
  auto c = build(props({{"log.retention.hours", "24"},
                        {"log.segment.bytes", "2097152"},
                        {"message.max.bytes", "2000000"},
                        {"log.cleanup.policy", "compact"},
                        {"log.roll.hours", "1"}}));
  EXPECT_EQ(c.topic_default("retention.ms").as_long(), 24LL * 3600 * 1000);
  EXPECT_EQ(c.topic_default("segment.bytes").as_int(), 2097152);
  EXPECT_EQ(c.topic_default("max.message.bytes").as_int(), 2000000);
  EXPECT_EQ(c.topic_default("cleanup.policy").as_list(), config_value::list_type{"compact"});
  EXPECT_EQ(c.topic_default("segment.ms").as_long(), 3600LL * 1000);
}

TEST(BrokerConfig, LogDirsFallBackToLogDirAndDropEmptyEntries) {
  EXPECT_EQ(build(props({})).log_dirs(), std::vector<std::string>{"/tmp/kafka-logs"});
  EXPECT_EQ(build(props({{"log.dir", "/a"}})).log_dirs(), std::vector<std::string>{"/a"});
  EXPECT_EQ(build(props({{"log.dir", "/a"}, {"log.dirs", "/b, /c,,"}})).log_dirs(),
            (std::vector<std::string>{"/b", "/c"}));
  EXPECT_EQ(build(props({{"log.dirs", "/b"}, {"metadata.log.dir", "/m"}})).metadata_log_dir(), "/m");
  EXPECT_EQ(error_of(props({{"log.dirs", " , "}})), "At least one log directory must be defined via log.dirs or log.dir.");
}

TEST(BrokerConfig, CrossConfigRulesOfKafkaHold) {
  EXPECT_EQ(error_of(props({{"queued.max.request.bytes", "10"}})),
            "queued.max.request.bytes must be larger or equal to socket.request.max.bytes");
  EXPECT_EQ(error_of(props({{"max.connections.per.ip", "0"}})),
            "max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides property is set.");
  build(props({{"max.connections.per.ip", "0"}, {"max.connections.per.ip.overrides", "127.0.0.1:10, host-a:5"}}));
  EXPECT_EQ(error_of(props({{"max.connections.per.ip.overrides", "bad host!:1"}})),
            "max.connections.per.ip.overrides contains invalid addresses : bad host!");
  EXPECT_NE(error_of(props({{"replica.fetch.wait.max.ms", "40000"}})).find("replica.socket.timeout.ms"),
            std::string::npos);
  EXPECT_EQ(error_of(props({{"log.cleaner.dedupe.buffer.size", "1048576"}})),
            "log.cleaner.dedupe.buffer.size must be at least 1MB per cleaner thread.");
  EXPECT_EQ(error_of(props({{"connection.failed.authentication.delay.ms", "700000"}})),
            "connection.failed.authentication.delay.ms=700000 should always be less than connections.max.idle.ms=600000 "
            "to prevent failed authentication responses from timing out");
}

TEST(BrokerConfig, GroupCoordinatorRulesHold) {
  EXPECT_EQ(error_of(props({{"group.coordinator.rebalance.protocols", "consumer"}})),
            "Disabling the 'classic' protocol is not supported.");
  EXPECT_EQ(error_of(props({{"group.consumer.heartbeat.interval.ms", "50000"}, {"group.consumer.max.heartbeat.interval.ms", "60000"}})),
            "group.consumer.heartbeat.interval.ms must be less than group.consumer.session.timeout.ms");
  EXPECT_EQ(error_of(props({{"group.consumer.session.timeout.ms", "30000"}})),
            "group.consumer.session.timeout.ms must be greater than or equal to group.consumer.min.session.timeout.ms");
}

TEST(BrokerConfig, QuorumVotersMustIncludeThisNode) {
  build(props({{"controller.quorum.voters", "1@localhost:9093"},
               {"listeners", "PLAINTEXT://:9092,CONTROLLER://:9093"},
               {"controller.listener.names", "CONTROLLER"}}));
  EXPECT_EQ(error_of(props({{"controller.quorum.voters", "2@localhost:9093,3@localhost:9094"}})),
            "If process.roles contains the 'controller' role, the node id 1 must be included in the set of voters "
            "controller.quorum.voters=[2, 3]");
}

TEST(BrokerConfig, TieredStorageCannotBeEnabled) {
  EXPECT_NE(error_of(props({{"remote.log.storage.system.enable", "true"}})).find("tiered storage"), std::string::npos);
}

TEST(BrokerConfig, UnknownKeysAreWarnedAboutNotRefused) {
  std::vector<config_warning> warnings;
  auto c = build(props({{"zookeeper.connect", "localhost:2181"}, {"log.message.format.version", "3.0"}}), &warnings);
  std::vector<std::string> unknown;
  for (const auto& w : warnings) {
    if (w.kind == warning_kind::unknown_config) unknown.push_back(w.key);
  }
  EXPECT_EQ(unknown, (std::vector<std::string>{"zookeeper.connect", "log.message.format.version"}));
  auto it = std::find_if(warnings.begin(), warnings.end(), [](const auto& w) { return w.key == "zookeeper.connect"; });
  EXPECT_EQ(it->message, "These configurations '[zookeeper.connect]' were supplied but are not used yet.");
  EXPECT_EQ(c.originals().get("zookeeper.connect"), "localhost:2181");
}

TEST(BrokerConfig, ListenerPrefixedConfigsAreKnownAndJavaClassesAreIgnored) {
  std::vector<config_warning> warnings;
  build(props({{"listener.name.internal.ssl.keystore.location", "/k"},
               {"listener.name.sasl_plaintext.plain.sasl.jaas.config", "x"},
               {"principal.builder.class", "com.example.Builder"},
               {"log.retention.hours", "1"}}),
        &warnings);
  auto kind_of = [&](std::string_view key) {
    auto it = std::find_if(warnings.begin(), warnings.end(), [&](const auto& w) { return w.key == key; });
    EXPECT_NE(it, warnings.end()) << key;
    return it == warnings.end() ? warning_kind::unknown_config : it->kind;
  };
  EXPECT_EQ(kind_of("listener.name.internal.ssl.keystore.location"), warning_kind::not_yet_effective);
  EXPECT_EQ(kind_of("listener.name.sasl_plaintext.plain.sasl.jaas.config"), warning_kind::not_yet_effective);
  EXPECT_EQ(kind_of("principal.builder.class"), warning_kind::ignored_config);
  EXPECT_EQ(kind_of("log.retention.hours"), warning_kind::not_yet_effective);
}

}  // namespace
}  // namespace samsa::broker::config
