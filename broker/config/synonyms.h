#pragma once

// Broker config synonyms as Kafka's DynamicBrokerConfig.brokerConfigSynonyms
// lists them, in precedence order. DescribeConfigs reports a broker config's
// synonyms in this order within each source level (dynamic per-broker, dynamic
// cluster default, static file, Kafka default).
//   log.roll.ms | log.roll.hours           -> [log.roll.ms, log.roll.hours]
//   log.roll.jitter.ms | ...hours           -> [log.roll.jitter.ms, log.roll.jitter.hours]
//   log.flush.interval.ms                   -> [log.flush.interval.ms, log.flush.scheduler.interval.ms]
//   log.retention.{ms,minutes,hours}        -> [log.retention.ms, log.retention.minutes, log.retention.hours]
//   listener.name.<l>.<config>              -> [that name, <config>]   (when matching listener overrides)
//   anything else                           -> [name]
// For listener overrides of SASL mechanism configs
// (listener.name.<l>.<mechanism>.sasl.jaas.config), the base synonym is the
// config without the mechanism prefix.

#include <string>
#include <string_view>
#include <vector>

namespace samsa::broker::config {

std::vector<std::string> broker_config_synonyms(std::string_view name, bool match_listener_override);

// "listener.name.<listener>.<config>": the <config> part, or empty.
std::string_view listener_override_base(std::string_view name);

// DynamicBrokerConfig.ListenerMechanismConfigs: configs set per listener and
// SASL mechanism (sasl.jaas.config, ...). Returns the one `base` ends with
// (e.g. "plain.sasl.jaas.config" -> "sasl.jaas.config"), or empty.
std::string_view listener_mechanism_config(std::string_view base);

}  // namespace samsa::broker::config
