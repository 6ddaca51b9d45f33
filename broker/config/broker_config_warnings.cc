// Warnings of broker_config: keys Kafka 4.0 does not know (Kafka logs "These
// configurations '...' were supplied but are not used yet."), Java class names
// Samsa cannot load, and configs nothing in Samsa acts on yet.

#include "broker/config/broker_config_builder.h"
#include "broker/config/broker_config_defs.h"
#include "broker/config/parse_config.h"
#include "broker/config/synonyms.h"

namespace samsa::broker::config {

namespace {

// listener.name.<l>.<config> and listener.name.<l>.<mechanism>.<config> are
// valid when <config> is a broker config.
const config_def* listener_override_def(std::string_view key) {
  std::string_view base = listener_override_base(key);
  if (base.empty()) return nullptr;
  if (const config_def* d = find_broker_config_def(base)) return d;
  std::string_view m = listener_mechanism_config(base);
  return m.empty() ? nullptr : find_broker_config_def(m);
}

// Configs naming Java classes or plugins Samsa cannot run.
bool names_java_code(const config_def& d) {
  return d.type == config_type::class_name || d.name == "replica.selector.class" || d.name == "metric.reporters" ||
         d.name == "security.providers";
}

}  // namespace

void broker_config_builder::collect_warnings(const broker_config& c, std::vector<config_warning>& warnings) {
  for (const auto& [key, raw] : c.originals().entries()) {
    const config_def* def = find_broker_config_def(key);
    if (def == nullptr) def = listener_override_def(key);
    if (def == nullptr) {
      warnings.push_back({warning_kind::unknown_config, key,
                          fmt::format("These configurations '[{}]' were supplied but are not used yet.", key)});
      continue;
    }
    if (names_java_code(*def)) {
      auto supplied = parse_value(def->name, def->type, raw);
      bool is_default = supplied && to_kafka_string(*supplied, def->type) == default_text(*def);
      if (!is_default) {
        warnings.push_back({warning_kind::ignored_config, key,
                            fmt::format("{} names Java code ('{}'); Samsa cannot load Java classes and ignores it.",
                                        key, java_trim(raw))});
      }
      continue;
    }
    if (def->support == samsa_support::accepted) {
      warnings.push_back({warning_kind::not_yet_effective, key,
                          fmt::format("{} is accepted but nothing in Samsa acts on it yet.", key)});
    }
  }
}

}  // namespace samsa::broker::config
