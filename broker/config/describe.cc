#include "broker/config/describe.h"

#include <algorithm>

#include "broker/config/broker_config_defs.h"
#include "broker/config/parse_config.h"
#include "broker/config/synonyms.h"
#include "broker/config/topic_config_defs.h"

namespace samsa::broker::config {

namespace {

// KafkaConfig.configType: the exact definition, else the first synonym that
// has one (listener overrides take their base config's type).
const config_def* broker_type_def(std::string_view name) {
  if (const config_def* d = find_broker_config_def(name)) return d;
  for (const auto& s : broker_config_synonyms(name, true)) {
    if (const config_def* d = find_broker_config_def(s)) return d;
  }
  return nullptr;
}

// ConfigHelper.configSynonyms.
// `static_level` is the properties file (null when describing the cluster
// default, which shows only dynamic defaults).
std::vector<described_synonym> config_synonyms(const properties* static_level, std::string_view name,
                                               const std::vector<std::string>& synonyms, bool sensitive,
                                               const dynamic_broker_layers& layers) {
  std::vector<described_synonym> out;
  auto add_from = [&](const properties* level, config_source source) {
    if (level == nullptr) return;
    for (const auto& s : synonyms) {
      if (auto v = level->get(s)) {
        out.push_back({s, sensitive ? std::nullopt : std::optional<std::string>(*v), source});
      }
    }
  };
  add_from(layers.per_broker, config_source::dynamic_broker_config);
  add_from(layers.cluster_default, config_source::dynamic_default_broker_config);
  add_from(static_level, config_source::static_broker_config);
  for (const auto& s : synonyms) {
    if (static_level == nullptr) break;
    const config_def* def = find_broker_config_def(s);
    if (def == nullptr) continue;
    if (auto v = default_text(*def)) {
      out.push_back({s, sensitive ? std::nullopt : v, config_source::default_config});
    }
  }
  auto first = std::find_if(out.begin(), out.end(), [&](const described_synonym& s) { return s.name == name; });
  out.erase(out.begin(), first);
  return out;
}

bool wanted(const describe_options& options, std::string_view name) {
  return options.names.empty() || std::find(options.names.begin(), options.names.end(), name) != options.names.end();
}

described_config broker_entry(const properties* static_level, std::string_view name, std::optional<std::string> value,
                              const describe_options& options, const dynamic_broker_layers& layers,
                              bool per_broker) {
  const config_def* type_def = broker_type_def(name);
  const config_def* exact = find_broker_config_def(name);
  described_config d;
  d.name = std::string(name);
  d.sensitive = type_def == nullptr || type_def->sensitive();
  d.value = d.sensitive ? std::nullopt : std::move(value);
  d.type = type_def ? to_describe_type(type_def->type) : describe_config_type::unknown;
  d.read_only = exact == nullptr || exact->mode == update_mode::read_only;
  auto all = config_synonyms(static_level, name, broker_config_synonyms(name, true), d.sensitive, layers);
  if (!per_broker) {
    std::erase_if(all, [](const described_synonym& s) {
      return s.source != config_source::dynamic_default_broker_config;
    });
  }
  d.source = all.empty() ? config_source::default_config : all.front().source;
  if (options.include_synonyms) d.synonyms = std::move(all);
  if (options.include_documentation && exact != nullptr) d.documentation = std::string(exact->doc);
  return d;
}

void sort_by_name(std::vector<described_config>& v) {
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

std::vector<described_synonym> topic_synonyms(const broker_config& broker, const topic_config& topic,
                                              const topic_config_def& def, const std::optional<std::string>& value,
                                              const dynamic_broker_layers& layers) {
  std::vector<described_synonym> list;
  if (topic.is_overridden(def.def.name)) list.push_back({std::string(def.def.name), value, config_source::topic_config});
  std::string_view server_name = def.server_default_name();
  if (!server_name.empty()) {
    auto broker_side = config_synonyms(&broker.originals(), server_name, broker_config_synonyms(server_name, true),
                                       def.def.sensitive(), layers);
    list.insert(list.end(), broker_side.begin(), broker_side.end());
  }
  return list;
}

}  // namespace

std::vector<described_config> describe_broker_config(const broker_config& broker, const describe_options& options,
                                                     const dynamic_broker_layers& layers) {
  std::vector<described_config> out;
  auto defs = broker_config_defs();
  for (size_t i = 0; i < defs.size(); ++i) {
    const config_def& def = defs[i];
    if (def.internal || !wanted(options, def.name)) continue;
    out.push_back(broker_entry(&broker.originals(), def.name, to_kafka_string(broker.get(def.name), def.type), options, layers,
                               true));
  }
  // Supplied keys that are not non-internal definitions keep their raw text.
  for (const auto& [key, raw] : broker.originals().entries()) {
    const config_def* def = find_broker_config_def(key);
    if ((def != nullptr && !def->internal) || !wanted(options, key)) continue;
    out.push_back(broker_entry(&broker.originals(), key, raw, options, layers, true));
  }
  sort_by_name(out);
  return out;
}

std::vector<described_config> describe_cluster_default_config(const describe_options& options,
                                                              const dynamic_broker_layers& layers) {
  std::vector<described_config> out;
  if (layers.cluster_default == nullptr) return out;
  for (const auto& [key, raw] : layers.cluster_default->entries()) {
    if (!wanted(options, key)) continue;
    out.push_back(broker_entry(nullptr, key, raw, options, layers, false));
  }
  sort_by_name(out);
  return out;
}

std::vector<described_config> describe_topic_config(const broker_config& broker, const topic_config& topic,
                                                    const describe_options& options,
                                                    const dynamic_broker_layers& layers) {
  std::vector<described_config> out;
  for (const topic_config_def& def : topic_config_defs()) {
    if (def.def.internal || !wanted(options, def.def.name)) continue;
    described_config d;
    d.name = std::string(def.def.name);
    d.sensitive = def.def.sensitive();
    auto text = to_kafka_string(topic.get(def.def.name), def.def.type);
    d.value = d.sensitive ? std::nullopt : text;
    d.type = to_describe_type(def.def.type);
    d.read_only = false;
    auto synonyms = topic_synonyms(broker, topic, def, d.value, layers);
    d.source = synonyms.empty() ? config_source::default_config : synonyms.front().source;
    if (options.include_synonyms) d.synonyms = std::move(synonyms);
    if (options.include_documentation) d.documentation = std::string(def.def.doc);
    out.push_back(std::move(d));
  }
  sort_by_name(out);
  return out;
}

config_source topic_config_source(const broker_config& broker, const topic_config& topic, std::string_view name,
                                  const dynamic_broker_layers& layers) {
  describe_options options;
  options.names.emplace_back(name);
  auto described = describe_topic_config(broker, topic, options, layers);
  return described.empty() ? config_source::unknown : described.front().source;
}

}  // namespace samsa::broker::config
