// Broker-supplied topic defaults, after Kafka's KafkaConfig.extractLogConfigMap:
// each topic config takes the value of its first broker synonym, except the
// time configs, which resolve their ms/minutes/hours synonyms first. Configs
// without a broker synonym keep the topic-level default. The result is then
// checked against the topic validators, as Kafka's LogConfig would at startup.

#include "broker/config/broker_config_builder.h"
#include "broker/config/parse_config.h"
#include "broker/config/topic_config_defs.h"
#include "common/assert.h"

namespace samsa::broker::config {

namespace {

config_value broker_default_for(const broker_config& c, const topic_config_def& t) {
  std::string_view name = t.def.name;
  if (t.synonym_count == 0) return default_value(t.def);
  if (name == "segment.ms") return config_value::of_long(c.log_roll_ms());
  if (name == "segment.jitter.ms") return config_value::of_long(c.log_roll_jitter_ms());
  if (name == "flush.ms") return config_value::of_long(c.log_flush_interval_ms());
  if (name == "retention.ms") return config_value::of_long(c.log_retention_ms());
  SAMSA_ASSERT(t.synonyms[0].unit == synonym_unit::same, "a converted synonym needs its own rule above");
  return c.get(t.synonyms[0].name);
}

}  // namespace

std::optional<config_error> broker_config_builder::derive_topic_defaults(broker_config& c) {
  auto defs = topic_config_defs();
  c.topic_defaults_.clear();
  c.topic_defaults_.reserve(defs.size());
  for (const topic_config_def& t : defs) {
    config_value v = broker_default_for(c, t);
    if (auto err = validate(t.def.valid, t.def.name, v)) return err;
    c.topic_defaults_.push_back(std::move(v));
  }
  return std::nullopt;
}

}  // namespace samsa::broker::config
