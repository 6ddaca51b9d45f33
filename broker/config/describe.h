#pragma once

// DescribeConfigs answers for BROKER and TOPIC resources, built the way
// Kafka's ConfigHelper does so that clients (kafka-configs.sh, AdminClient)
// see the same names, values, sources, flags and synonym lists.
//
// Rules kept from Kafka:
//  - a broker resource lists every non-internal broker config plus every key
//    the operator supplied (unknown keys included); a topic resource lists
//    every topic config. Requested names filter that list.
//  - sensitive = PASSWORD type, or a type Kafka cannot determine (unknown
//    keys); sensitive values and synonym values are null.
//  - read_only = the config is not dynamically updatable (update_mode).
//  - synonyms are gathered level by level -- dynamic per-broker, dynamic
//    cluster default, static (the properties file), Kafka default -- and
//    within a level in broker_config_synonyms() order; then, as Kafka does,
//    leading synonyms whose name differs from the described broker config are
//    dropped. A topic config's list starts with its TOPIC_CONFIG override if
//    any, followed by the synonyms of its first broker synonym. The source is
//    the first synonym's, or DEFAULT_CONFIG when there is none.
//  - a quirk kept on purpose: because of that drop, retention.ms shows source
//    DEFAULT_CONFIG and no broker synonyms when only log.retention.hours (not
//    log.retention.ms) is set, although its value does come from
//    log.retention.hours. Likewise segment.ms/log.roll.hours,
//    segment.jitter.ms/log.roll.jitter.hours, flush.ms/log.flush.scheduler.interval.ms.
//  - values are Kafka's string forms: lists joined by ",", doubles as Java
//    prints them ("0.5", "1.7976931348623157E308").
// Output is sorted by name (Kafka's order is a hash map's; clients sort).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/config/config_types.h"
#include "broker/config/properties.h"
#include "broker/config/topic_config.h"

namespace samsa::broker::config {

struct described_synonym {
  std::string name;
  std::optional<std::string> value;
  config_source source = config_source::default_config;
  bool operator==(const described_synonym&) const = default;
};

struct described_config {
  std::string name;
  std::optional<std::string> value;  // null when sensitive or unset
  config_source source = config_source::default_config;
  bool read_only = true;
  bool sensitive = false;
  describe_config_type type = describe_config_type::unknown;
  std::vector<described_synonym> synonyms;  // empty unless requested
  std::optional<std::string> documentation;  // null unless requested
};

struct describe_options {
  bool include_synonyms = false;
  bool include_documentation = false;
  std::vector<std::string> names;  // ConfigurationKeys; empty means all
};

// Kafka's dynamic config levels (IncrementalAlterConfigs on BROKER resources).
// Samsa stores none yet, so callers pass nothing; kept so the precedence is
// implemented once, here.
struct dynamic_broker_layers {
  const properties* per_broker = nullptr;       // DYNAMIC_BROKER_CONFIG
  const properties* cluster_default = nullptr;  // DYNAMIC_DEFAULT_BROKER_CONFIG
};

// Resource name == this broker's id.
std::vector<described_config> describe_broker_config(const broker_config& broker, const describe_options& options,
                                                     const dynamic_broker_layers& layers = {});

// Resource name "" (the cluster default): only the dynamic cluster defaults.
std::vector<described_config> describe_cluster_default_config(const describe_options& options,
                                                              const dynamic_broker_layers& layers = {});

std::vector<described_config> describe_topic_config(const broker_config& broker, const topic_config& topic,
                                                    const describe_options& options,
                                                    const dynamic_broker_layers& layers = {});

// The source DescribeConfigs reports for one topic config.
config_source topic_config_source(const broker_config& broker, const topic_config& topic, std::string_view name,
                                  const dynamic_broker_layers& layers = {});

}  // namespace samsa::broker::config
