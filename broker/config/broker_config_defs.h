#pragma once

// The broker configurations Samsa accepts: names, types, defaults and
// validators of Apache Kafka 4.0 (KafkaConfig's merged ConfigDef), with the
// update modes of Kafka's DynamicBrokerConfig. Kept as data, split by area:
//   broker_defs_server.cc       identity, threads, sockets, listeners, KRaft, metrics
//   broker_defs_log.cc          log.* and log.cleaner.* (topic defaults)
//   broker_defs_replication.cc  replica.*, leader balancing, inter-broker
//   broker_defs_coordinator.cc  group.*, offsets.*, transaction.*, producer ids, tokens
//   broker_defs_security.cc     ssl.*, sasl.*, authorizer
// Configs ZooKeeper-mode Kafka had (zookeeper.*, broker.id.generation.enable,
// control.plane.listener.name, ...) and those removed in 4.0
// (log.message.format.version, log.message.timestamp.difference.max.ms,
// offsets.commit.required.acks, ...) are unknown here, as in Kafka 4.0.

#include <span>
#include <string_view>

#include "broker/config/config_def.h"

namespace samsa::broker::config {

// Every definition, in a stable order (by area, then as Kafka lists them).
std::span<const config_def> broker_config_defs();

// nullptr when `name` is not a broker config.
const config_def* find_broker_config_def(std::string_view name);

namespace detail {
std::span<const config_def> server_config_defs();
std::span<const config_def> log_config_defs();
std::span<const config_def> replication_config_defs();
std::span<const config_def> coordinator_config_defs();
std::span<const config_def> security_config_defs();
}  // namespace detail

}  // namespace samsa::broker::config
