#include "broker/controller/topic_config_entries.h"

#include <algorithm>
#include <charconv>

#include "broker/config/parse_config.h"
#include "broker/config/topic_config_defs.h"

namespace samsa::broker {
namespace {

// ConfigSynonym.HOURS_TO_MILLISECONDS / MINUTES_TO_MILLISECONDS; a value that
// does not parse is passed on as it is.
std::string convert(std::string_view raw, config::synonym_unit unit) {
  if (unit == config::synonym_unit::same) return std::string(raw);
  while (!raw.empty() && raw.front() == ' ') raw.remove_prefix(1);
  while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
  if (ec != std::errc() || p != raw.data() + raw.size()) return std::string(raw);
  const int64_t factor = unit == config::synonym_unit::hours_to_ms ? 3'600'000 : 60'000;
  return std::to_string(v * factor);
}

}  // namespace

std::vector<topic_config_entry> effective_topic_config_entries(const config::broker_config& static_config,
                                                               const config::properties* cluster_defaults,
                                                               const config::properties* per_broker,
                                                               const config::properties& topic_configs) {
  std::vector<topic_config_entry> out;
  for (const config::topic_config_def& def : config::topic_config_defs()) {
    if (def.def.internal) continue;
    topic_config_entry e;
    e.name = std::string(def.def.name);
    e.sensitive = def.def.sensitive();
    std::optional<std::string> value;
    if (auto v = topic_configs.get(def.def.name)) {
      value = std::string(*v);
      e.source = config::config_source::topic_config;
    } else {
      const std::pair<const config::properties*, config::config_source> levels[] = {
          {per_broker, config::config_source::dynamic_broker_config},
          {cluster_defaults, config::config_source::dynamic_default_broker_config},
          {&static_config.originals(), config::config_source::static_broker_config},
      };
      for (const auto& [level, source] : levels) {
        if (value || level == nullptr) continue;
        for (const config::broker_synonym& s : def.broker_synonyms()) {
          if (auto v = level->get(s.name)) {
            value = convert(*v, s.unit);
            e.source = source;
            break;
          }
        }
      }
      if (!value) {
        value = config::default_text(def.def);
        e.source = config::config_source::default_config;
      }
    }
    if (!e.sensitive) e.value = std::move(value);
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace samsa::broker
