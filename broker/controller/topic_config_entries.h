#pragma once

// The configs CreateTopics v5+ returns for a created topic: every topic config
// with its value and source, resolved as Kafka's controller does
// (KafkaConfigSchema.resolveEffectiveTopicConfigs): the topic's own value, else
// the first broker synonym set as a dynamic per-broker config, else as a
// dynamic cluster default, else in the static configuration (converted to the
// topic's unit), else the topic config's own default. Sorted by name.

#include <optional>
#include <string>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/config/config_types.h"
#include "broker/config/properties.h"

namespace samsa::broker {

struct topic_config_entry {
  std::string name;
  std::optional<std::string> value;  // null when sensitive (or no value)
  config::config_source source = config::config_source::default_config;
  bool sensitive = false;
};

std::vector<topic_config_entry> effective_topic_config_entries(const config::broker_config& static_config,
                                                               const config::properties* cluster_defaults,
                                                               const config::properties* per_broker,
                                                               const config::properties& topic_configs);

}  // namespace samsa::broker
