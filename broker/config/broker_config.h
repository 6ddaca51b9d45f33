#pragma once

// The broker's configuration: every broker config of broker_config_defs()
// parsed and validated, plus the derived values the broker acts on (listener
// endpoints, log directories, retention in ms, topic defaults...).
//
// Thread-safety: immutable after construction; share it freely by const&.
// Invariants:
//  1. values_ holds one entry per broker_config_defs() entry, each of which
//     passed its validator (defaults included);
//  2. the cross-config rules of Kafka's KafkaConfig.validateValues hold
//     (listeners vs advertised listeners vs protocol map, node.id == broker.id,
//     retention/roll ranges, group coordinator timeouts, ...);
//  3. topic_defaults_ holds one valid value per topic_config_defs() entry
//     (Kafka's KafkaConfig.extractLogConfigMap).
//
// Samsa-specific rules (documented in docs/configuration.md):
//  - node.id and broker.id default to 1, so a file holding only listeners and
//    log.dirs starts a single-node broker;
//  - process.roles is optional; whatever it says, the broker and controller run
//    in one process ('controller' alone is refused);
//  - remote.log.storage.system.enable=true is refused (no tiered storage).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/config/config_error.h"
#include "broker/config/config_value.h"
#include "broker/config/listeners.h"
#include "broker/config/properties.h"
#include "broker/config/result.h"

namespace samsa::broker::config {

class broker_config {
 public:
  // Validates `originals` (the file with overrides applied). Warnings (unknown
  // keys, ignored Java classes, configs nothing acts on yet) are appended to
  // *warnings when it is not null.
  static result<broker_config, config_error> from_properties(properties originals,
                                                             std::vector<config_warning>* warnings = nullptr);

  // --- Generic access ------------------------------------------------------
  // Precondition: `name` is a broker config (find_broker_config_def) and, for
  // the typed getters, of that type and not null. Checked: a wrong name or
  // type is a programming error.
  const config_value& get(std::string_view name) const;
  bool get_bool(std::string_view name) const { return get(name).as_bool(); }
  int32_t get_int(std::string_view name) const { return get(name).as_int(); }
  int16_t get_short(std::string_view name) const { return get(name).as_short(); }
  int64_t get_long(std::string_view name) const { return get(name).as_long(); }
  double get_double(std::string_view name) const { return get(name).as_double(); }
  const std::string& get_string(std::string_view name) const { return get(name).as_string(); }
  const config_value::list_type& get_list(std::string_view name) const { return get(name).as_list(); }
  // For STRING configs whose default is null.
  std::optional<std::string> get_optional_string(std::string_view name) const;

  // What the operator supplied, after Kafka's node.id/broker.id mirroring:
  // DescribeConfigs' STATIC_BROKER_CONFIG layer. Includes unknown keys.
  const properties& originals() const { return originals_; }

  // --- Identity and listeners ----------------------------------------------
  int32_t node_id() const { return node_id_; }
  // All listeners to bind, controller listeners included.
  const std::vector<endpoint>& listeners() const { return listeners_; }
  // What clients are told (advertised.listeners, else listeners), without
  // controller listeners (KafkaConfig.effectiveAdvertisedBrokerListeners).
  const std::vector<endpoint>& advertised_listeners() const { return advertised_listeners_; }
  const std::vector<std::string>& controller_listener_names() const { return controller_listener_names_; }
  const std::string& inter_broker_listener_name() const { return inter_broker_listener_name_; }
  security_protocol inter_broker_security_protocol() const { return inter_broker_security_protocol_; }
  // listener.security.protocol.map plus KRaft's implicit PLAINTEXT mapping of
  // controller listeners (KafkaConfig.effectiveListenerSecurityProtocolMap).
  const security_protocol_map& security_protocols() const { return security_protocols_; }

  // --- Storage -------------------------------------------------------------
  // log.dirs, else log.dir, split on commas (empty entries dropped).
  const std::vector<std::string>& log_dirs() const { return log_dirs_; }
  // metadata.log.dir, else the first log directory.
  const std::string& metadata_log_dir() const { return metadata_log_dir_; }
  // log.retention.ms > log.retention.minutes > log.retention.hours; negative -> -1.
  int64_t log_retention_ms() const;
  // log.roll.ms, else log.roll.hours.
  int64_t log_roll_ms() const;
  // log.roll.jitter.ms, else log.roll.jitter.hours.
  int64_t log_roll_jitter_ms() const;
  // log.flush.interval.ms, else log.flush.scheduler.interval.ms.
  int64_t log_flush_interval_ms() const;

  // --- Frequently used values ------------------------------------------------
  int32_t num_network_threads() const { return get_int("num.network.threads"); }
  int32_t num_io_threads() const { return get_int("num.io.threads"); }
  int32_t socket_send_buffer_bytes() const { return get_int("socket.send.buffer.bytes"); }
  int32_t socket_receive_buffer_bytes() const { return get_int("socket.receive.buffer.bytes"); }
  int32_t socket_request_max_bytes() const { return get_int("socket.request.max.bytes"); }
  int32_t socket_listen_backlog_size() const { return get_int("socket.listen.backlog.size"); }
  int32_t max_connections() const { return get_int("max.connections"); }
  int32_t max_connections_per_ip() const { return get_int("max.connections.per.ip"); }
  int64_t connections_max_idle_ms() const { return get_long("connections.max.idle.ms"); }
  int32_t queued_max_requests() const { return get_int("queued.max.requests"); }
  int64_t queued_max_request_bytes() const { return get_long("queued.max.request.bytes"); }
  int32_t message_max_bytes() const { return get_int("message.max.bytes"); }
  int32_t num_partitions() const { return get_int("num.partitions"); }
  int32_t default_replication_factor() const { return get_int("default.replication.factor"); }
  bool auto_create_topics_enable() const { return get_bool("auto.create.topics.enable"); }
  bool delete_topic_enable() const { return get_bool("delete.topic.enable"); }
  int32_t offsets_topic_num_partitions() const { return get_int("offsets.topic.num.partitions"); }
  int16_t offsets_topic_replication_factor() const { return get_short("offsets.topic.replication.factor"); }
  int32_t transaction_state_log_num_partitions() const { return get_int("transaction.state.log.num.partitions"); }
  int16_t transaction_state_log_replication_factor() const {
    return get_short("transaction.state.log.replication.factor");
  }
  // offsets.retention.minutes in ms.
  int64_t offsets_retention_ms() const { return int64_t{get_int("offsets.retention.minutes")} * 60 * 1000; }

  // --- Topic defaults --------------------------------------------------------
  // The broker-supplied default of a topic config (KafkaConfig.extractLogConfigMap,
  // synonyms and unit conversions applied). Precondition: a topic config name.
  const config_value& topic_default(std::string_view topic_config_name) const;
  // Aligned with topic_config_defs().
  const std::vector<config_value>& topic_defaults() const { return topic_defaults_; }

 private:
  broker_config() = default;
  friend struct broker_config_builder;

  properties originals_;
  std::vector<config_value> values_;          // Invariant 1
  std::vector<config_value> topic_defaults_;  // Invariant 3
  int32_t node_id_ = 0;
  std::vector<endpoint> listeners_;
  std::vector<endpoint> advertised_listeners_;
  std::vector<std::string> controller_listener_names_;
  std::string inter_broker_listener_name_;
  security_protocol inter_broker_security_protocol_ = security_protocol::plaintext;
  security_protocol_map security_protocols_;
  std::vector<std::string> log_dirs_;
  std::string metadata_log_dir_;
};

}  // namespace samsa::broker::config
