#include "broker/config/broker_config.h"

#include <algorithm>

#include "broker/config/broker_config_builder.h"
#include "broker/config/broker_config_defs.h"
#include "broker/config/parse_config.h"
#include "broker/config/topic_config_defs.h"
#include "common/assert.h"

namespace samsa::broker::config {

namespace {

size_t def_index(std::string_view name) {
  const config_def* def = find_broker_config_def(name);
  SAMSA_ASSERT(def != nullptr, "not a broker config name");
  return static_cast<size_t>(def - broker_config_defs().data());
}

// Csv.parseCsvList: split on commas, trim around them, drop empty entries.
std::vector<std::string> csv_list(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string_view piece = java_trim(s.substr(start, comma == std::string_view::npos ? s.npos : comma - start));
    if (!piece.empty()) out.emplace_back(piece);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

result<broker_config, config_error> broker_config::from_properties(properties originals,
                                                                   std::vector<config_warning>* warnings) {
  std::vector<config_warning> collected;
  broker_config c;
  broker_config_builder::mirror_node_id(originals);
  c.originals_ = std::move(originals);
  if (auto err = broker_config_builder::parse_all(c)) return make_failure(std::move(*err));
  if (auto err = broker_config_builder::derive_identity_and_dirs(c, collected)) return make_failure(std::move(*err));
  if (auto err = broker_config_builder::derive_listeners(c)) return make_failure(std::move(*err));
  if (auto err = broker_config_builder::check_values(c)) return make_failure(std::move(*err));
  if (auto err = broker_config_builder::derive_topic_defaults(c)) return make_failure(std::move(*err));
  broker_config_builder::collect_warnings(c, collected);
  if (warnings != nullptr) warnings->insert(warnings->end(), collected.begin(), collected.end());
  return c;
}

const config_value& broker_config::get(std::string_view name) const { return values_[def_index(name)]; }

std::optional<std::string> broker_config::get_optional_string(std::string_view name) const {
  const config_value& v = get(name);
  if (v.is_null()) return std::nullopt;
  return v.as_string();
}

int64_t broker_config::log_retention_ms() const {
  constexpr int64_t minute_ms = 60 * 1000;
  const config_value& ms = get("log.retention.ms");
  const config_value& minutes = get("log.retention.minutes");
  int64_t millis = !ms.is_null()        ? ms.as_long()
                   : !minutes.is_null() ? minute_ms * minutes.as_int()
                                        : 60 * minute_ms * get_int("log.retention.hours");
  return millis < 0 ? -1 : millis;
}

int64_t broker_config::log_roll_ms() const {
  const config_value& ms = get("log.roll.ms");
  return ms.is_null() ? int64_t{60 * 60 * 1000} * get_int("log.roll.hours") : ms.as_long();
}

int64_t broker_config::log_roll_jitter_ms() const {
  const config_value& ms = get("log.roll.jitter.ms");
  return ms.is_null() ? int64_t{60 * 60 * 1000} * get_int("log.roll.jitter.hours") : ms.as_long();
}

int64_t broker_config::log_flush_interval_ms() const {
  const config_value& ms = get("log.flush.interval.ms");
  return ms.is_null() ? get_long("log.flush.scheduler.interval.ms") : ms.as_long();
}

const config_value& broker_config::topic_default(std::string_view topic_config_name) const {
  const topic_config_def* def = find_topic_config_def(topic_config_name);
  SAMSA_ASSERT(def != nullptr, "not a topic config name");
  return topic_defaults_[static_cast<size_t>(def - topic_config_defs().data())];
}

void broker_config_builder::mirror_node_id(properties& originals) {
  auto node_id = originals.get("node.id");
  auto broker_id = originals.get("broker.id");
  if (node_id && !broker_id) originals.set("broker.id", std::string(*node_id));
  if (broker_id && !node_id) originals.set("node.id", std::string(*broker_id));
}

std::optional<config_error> broker_config_builder::parse_all(broker_config& c) {
  auto defs = broker_config_defs();
  c.values_.reserve(defs.size());
  for (const config_def& def : defs) {
    auto value = parse_config(def, c.originals_.get(def.name));
    if (!value) return value.error();
    c.values_.push_back(std::move(value).value());
  }
  return std::nullopt;
}

std::optional<config_error> broker_config_builder::derive_identity_and_dirs(broker_config& c,
                                                                            std::vector<config_warning>& warnings) {
  int32_t node_id = c.get_int("node.id");
  if (node_id != c.get_int("broker.id")) {
    return config_problem("node.id", "You must set `node.id` to the same value as `broker.id`.");
  }
  if (node_id < 0) {
    return invalid_value("node.id", std::to_string(node_id), "a node id must be at least 0");
  }
  c.node_id_ = node_id;

  const auto& roles = c.get_list("process.roles");
  for (size_t i = 0; i < roles.size(); ++i) {
    if (std::find(roles.begin() + static_cast<std::ptrdiff_t>(i) + 1, roles.end(), roles[i]) != roles.end()) {
      return config_problem("process.roles",
                            fmt::format("Duplicate role names found in `process.roles`: {}", java_list_string(roles)));
    }
  }
  bool broker_role = std::find(roles.begin(), roles.end(), "broker") != roles.end();
  if (!roles.empty() && !broker_role) {
    return config_problem("process.roles",
                          "process.roles=controller is not supported: a Samsa node always runs the broker role "
                          "(leave process.roles unset or use broker,controller)");
  }
  if (roles.size() == 1) {
    warnings.push_back({warning_kind::ignored_config, "process.roles",
                        "process.roles=broker: Samsa has no remote controller quorum yet; the controller runs in this "
                        "process as with broker,controller"});
  }

  auto dirs = c.get_optional_string("log.dirs");
  c.log_dirs_ = csv_list(dirs ? *dirs : c.get_string("log.dir"));
  if (c.log_dirs_.empty()) {
    return config_problem("log.dirs", "At least one log directory must be defined via log.dirs or log.dir.");
  }
  auto metadata_dir = c.get_optional_string("metadata.log.dir");
  c.metadata_log_dir_ = metadata_dir ? *metadata_dir : c.log_dirs_.front();
  return std::nullopt;
}

}  // namespace samsa::broker::config
