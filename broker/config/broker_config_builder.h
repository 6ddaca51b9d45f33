#pragma once

// Internal to broker/config: the steps of broker_config::from_properties,
// split by concern so each file stays small. Not for use outside this module.

#include <optional>
#include <vector>

#include "broker/config/broker_config.h"

namespace samsa::broker::config {

struct broker_config_builder {
  // KafkaConfig.populateSynonyms: a lone node.id or broker.id is copied to
  // the other so both read the same (and both show as static in DescribeConfigs).
  static void mirror_node_id(properties& originals);

  // Step 1: parse every definition (broker_config.cc).
  static std::optional<config_error> parse_all(broker_config& c);
  // Step 2: node id, roles, log directories (broker_config.cc).
  static std::optional<config_error> derive_identity_and_dirs(broker_config& c, std::vector<config_warning>& warnings);
  // Step 3: listeners, advertised listeners, protocol map, inter-broker
  // listener (broker_config_listeners.cc).
  static std::optional<config_error> derive_listeners(broker_config& c);
  // Step 4: the remaining cross-config rules (broker_config_checks.cc).
  static std::optional<config_error> check_values(const broker_config& c);
  // Step 5: topic defaults (broker_config_topic_defaults.cc).
  static std::optional<config_error> derive_topic_defaults(broker_config& c);
  // Step 6: warnings for what is accepted but unknown, ignored or not yet
  // effective (broker_config_warnings.cc).
  static void collect_warnings(const broker_config& c, std::vector<config_warning>& warnings);
};

}  // namespace samsa::broker::config
