#include "broker/config/topic_config.h"

#include <algorithm>
#include <cctype>

#include "broker/config/parse_config.h"
#include "broker/config/topic_config_defs.h"
#include "common/assert.h"

namespace samsa::broker::config {

namespace {

size_t topic_index(std::string_view name) {
  const topic_config_def* def = find_topic_config_def(name);
  SAMSA_ASSERT(def != nullptr, "not a topic config name");
  return static_cast<size_t>(def - topic_config_defs().data());
}

config_error invalid_config(std::string message) { return config_problem("", std::move(message)); }

// ControllerConfigurationValidator: nulls, then LogConfig.validateNames.
std::optional<config_error> check_names(std::span<const topic_config_override> overrides) {
  std::string nulls;
  for (const auto& o : overrides) {
    if (!o.value) nulls += (nulls.empty() ? "" : ",") + o.name;
  }
  if (!nulls.empty()) return invalid_config("Null value not supported for topic configs: " + nulls);
  for (const auto& o : overrides) {
    if (find_topic_config_def(o.name) == nullptr) {
      return config_problem(o.name, "Unknown topic config name: " + o.name);
    }
  }
  return std::nullopt;
}

// LogConfig.validateValues and the tiered-storage rules of validateTopicLogConfigValues
// (Samsa's broker never has tiered storage enabled).
std::optional<config_error> check_values(const std::vector<config_value>& values) {
  int64_t min_lag = values[topic_index("min.compaction.lag.ms")].as_long();
  int64_t max_lag = values[topic_index("max.compaction.lag.ms")].as_long();
  if (min_lag > max_lag) {
    return invalid_config(fmt::format(
        "conflict topic config setting min.compaction.lag.ms ({}) > max.compaction.lag.ms ({})", min_lag, max_lag));
  }
  if (values[topic_index("remote.storage.enable")].as_bool()) {
    return invalid_config(
        "Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.");
  }
  return std::nullopt;
}

}  // namespace

result<topic_config, config_error> topic_config::resolve(const broker_config& broker,
                                                         std::span<const topic_config_override> overrides,
                                                         const properties& existing) {
  (void)existing;  // Only the tiered-storage switch-off rule reads it, and tiering is never on in Samsa.
  if (auto err = check_names(overrides)) return make_failure(std::move(*err));
  topic_config t;
  for (const auto& o : overrides) t.overrides_.set(o.name, *o.value);

  auto defs = topic_config_defs();
  t.values_.reserve(defs.size());
  for (size_t i = 0; i < defs.size(); ++i) {
    const config_def& def = defs[i].def;
    if (auto supplied = t.overrides_.get(def.name)) {
      auto v = parse_config(def, supplied);
      if (!v) return make_failure(v.error());
      t.values_.push_back(std::move(v).value());
    } else {
      t.values_.push_back(broker.topic_defaults()[i]);
    }
  }
  if (auto err = check_values(t.values_)) return make_failure(std::move(*err));
  return t;
}

result<topic_config, config_error> topic_config::resolve(const broker_config& broker, const properties& overrides) {
  std::vector<topic_config_override> list;
  list.reserve(overrides.size());
  for (const auto& [k, v] : overrides.entries()) list.push_back({k, v});
  return resolve(broker, list);
}

result<ok_t, config_error> validate_topic_config(const broker_config& broker,
                                                 std::span<const topic_config_override> overrides,
                                                 const properties& existing) {
  auto resolved = topic_config::resolve(broker, overrides, existing);
  if (!resolved) return make_failure(resolved.error());
  return ok;
}

const config_value& topic_config::get(std::string_view name) const { return values_[topic_index(name)]; }

namespace {
bool policy_contains(const config_value::list_type& policies, std::string_view wanted) {
  return std::any_of(policies.begin(), policies.end(), [&](const std::string& p) {
    std::string lower = p;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower == wanted;
  });
}
}  // namespace

bool topic_config::compact() const { return policy_contains(get("cleanup.policy").as_list(), "compact"); }
bool topic_config::delete_retention_enabled() const {
  return policy_contains(get("cleanup.policy").as_list(), "delete");
}

timestamp_type topic_config::message_timestamp_type() const {
  return get("message.timestamp.type").as_string() == "LogAppendTime" ? timestamp_type::log_append_time
                                                                      : timestamp_type::create_time;
}

int64_t topic_config::local_retention_ms() const {
  int64_t v = get("local.retention.ms").as_long();
  return v == -2 ? retention_ms() : v;
}

int64_t topic_config::local_retention_bytes() const {
  int64_t v = get("local.retention.bytes").as_long();
  return v == -2 ? retention_bytes() : v;
}

}  // namespace samsa::broker::config
