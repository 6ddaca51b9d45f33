#pragma once

// Topic-level configs (Kafka 4.0 LogConfig / TopicConfig) and the broker
// configs that supply their defaults (ServerTopicConfigSynonyms). Synonyms are
// listed in Kafka's precedence order: the first one configured wins, e.g.
// retention.ms <- log.retention.ms, then log.retention.minutes, then
// log.retention.hours. Some need a unit conversion.
//
// Removed in Kafka 4.0 and therefore unknown here (CreateTopics/AlterConfigs
// answer INVALID_CONFIG "Unknown topic config name: ..."): message.format.version
// (KIP-724) and message.timestamp.difference.max.ms (KIP-937).

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "broker/config/config_def.h"

namespace samsa::broker::config {

// How a broker synonym's value becomes the topic value.
enum class synonym_unit : uint8_t { same, hours_to_ms, minutes_to_ms };

struct broker_synonym {
  std::string_view name;
  synonym_unit unit = synonym_unit::same;
};

struct topic_config_def {
  config_def def;  // name, type, topic-level default and validator
  std::array<broker_synonym, 3> synonyms{};
  size_t synonym_count = 0;  // 0: no broker default (LogConfig.CONFIGS_WITH_NO_SERVER_DEFAULTS)

  std::span<const broker_synonym> broker_synonyms() const { return {synonyms.data(), synonym_count}; }
  // ServerTopicConfigSynonyms.TOPIC_CONFIG_SYNONYMS: the highest-priority broker name.
  std::string_view server_default_name() const { return synonym_count ? synonyms[0].name : std::string_view{}; }
};

std::span<const topic_config_def> topic_config_defs();

// nullptr when `name` is not a topic config.
const topic_config_def* find_topic_config_def(std::string_view name);

}  // namespace samsa::broker::config
