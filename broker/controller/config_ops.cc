#include "broker/controller/config_ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "broker/config/broker_config_defs.h"
#include "broker/config/parse_config.h"
#include "broker/config/topic_config.h"
#include "broker/config/topic_config_defs.h"
#include "broker/controller/topic_ops.h"
#include "broker/controller/topic_rules.h"

namespace samsa::broker {
namespace {

using protocol::error_code;

api_error err(error_code code, std::string message) { return api_error{code, std::move(message)}; }

const config::config_def* find_def(config_resource_type type, std::string_view key) {
  if (type == config_resource_type::topic) {
    const config::topic_config_def* d = config::find_topic_config_def(key);
    return d ? &d->def : nullptr;
  }
  if (type == config_resource_type::broker) return config::find_broker_config_def(key);
  return nullptr;
}

// KafkaConfigSchema.isSplittable.
bool is_splittable(config_resource_type type, std::string_view key) {
  const config::config_def* d = find_def(type, key);
  return d != nullptr && d->type == config::config_type::list;
}

}  // namespace

std::vector<std::string> java_split(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = s.find(',', start);
    out.emplace_back(s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (out.size() > 1)
    while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

namespace {

// ConfigurationControlManager.getParts: the current value, else the default,
// split on commas without empty parts.
std::vector<std::string> current_parts(const std::optional<std::string>& value, config_resource_type type,
                                       std::string_view key) {
  std::optional<std::string> v = value;
  if (!v) {
    if (const config::config_def* d = find_def(type, key)) v = config::default_text(*d);
  }
  std::vector<std::string> parts;
  if (!v) return parts;
  for (auto& p : java_split(*v))
    if (!p.empty()) parts.push_back(std::move(p));
  return parts;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
  return out;
}

protocol::config_record config_record_for(const config_resource& r, const std::string& name,
                                          std::optional<std::string> value) {
  protocol::config_record c;
  c.resource_type = static_cast<int8_t>(r.type);
  c.resource_name = r.name;
  c.name = name;
  c.value = std::move(value);
  return c;
}

// ControllerConfigurationValidator.validate(resource, newConfigs, oldConfigs)
// and QuorumController's existence checker.
std::optional<api_error> validate_alter(const plan_context& ctx, const config_resource& r,
                                        const config::properties& all, const config::properties& existing) {
  switch (r.type) {
    case config_resource_type::topic: {
      if (r.name.empty()) return err(error_code::invalid_request, "Default topic resources are not allowed.");
      if (auto why = topic_name_error(r.name)) return err(error_code::invalid_topic_exception, *why);
      std::vector<config::topic_config_override> overrides;
      for (const auto& [k, v] : all.entries()) overrides.push_back({k, v});
      if (auto valid = config::validate_topic_config(ctx.effective_config(), overrides, existing); !valid)
        return err(error_code::invalid_config, valid.error().message);
      if (ctx.image.find_topic(r.name) == nullptr)
        return err(error_code::unknown_topic_or_partition, fmt::format("The topic '{}' does not exist.", r.name));
      return std::nullopt;
    }
    case config_resource_type::broker: {
      if (r.name.empty()) return std::nullopt;
      auto id = parse_java_int(r.name);
      if (!id) return err(error_code::invalid_request, "Unable to parse broker name as a base 10 number.");
      if (*id < 0) return err(error_code::invalid_request, "Invalid negative broker ID.");
      if (!ctx.is_registered_broker(*id))
        return err(error_code::broker_id_not_registered, fmt::format("No node with id {} found.", *id));
      return std::nullopt;
    }
    default:
      return err(error_code::invalid_request,
                 fmt::format("Unknown resource type {}", config_resource_type_name(r.type)));
  }
}

config::properties stored(const plan_context& ctx, const config_resource& r) {
  const config::properties* p = ctx.image.find_configs(r);
  return p ? *p : config::properties{};
}

// Applies `records` to `base` (the configs a resource would have afterwards).
config::properties with_records(config::properties base, const std::vector<metadata_record>& records) {
  for (const auto& rec : records) {
    const auto& c = std::get<protocol::config_record>(rec.body);
    if (c.value) {
      base.set(c.name, *c.value);
    } else {
      base.erase(c.name);
    }
  }
  return base;
}

void finish(alter_configs_plan& plan) {
  if (plan.records.size() > max_records_per_user_op) {
    plan.request_error = too_many_records_error();
    plan.records.clear();
  }
}

}  // namespace

std::optional<int32_t> parse_java_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
    if (s.empty()) return std::nullopt;
  }
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
    if (v > int64_t{1} << 31) return std::nullopt;
  }
  if (negative) v = -v;
  if (v > INT32_MAX || v < INT32_MIN) return std::nullopt;
  return static_cast<int32_t>(v);
}

std::string_view config_resource_type_name(config_resource_type t) {
  switch (t) {
    case config_resource_type::topic: return "TOPIC";
    case config_resource_type::broker: return "BROKER";
    case config_resource_type::broker_logger: return "BROKER_LOGGER";
    case config_resource_type::client_metrics: return "CLIENT_METRICS";
    case config_resource_type::group: return "GROUP";
    case config_resource_type::unknown: break;
  }
  return "UNKNOWN";
}

alter_configs_plan plan_incremental_alter_configs(const plan_context& ctx,
                                                  const std::vector<incremental_config_changes>& changes) {
  alter_configs_plan plan;
  for (const auto& resource : changes) {
    const config_resource& r = resource.resource;
    const config::properties existing = stored(ctx, r);
    std::vector<metadata_record> records;
    std::optional<api_error> problem;
    for (const config_change& c : resource.changes) {
      std::optional<std::string> current;
      if (auto v = existing.get(c.name)) current = std::string(*v);
      std::optional<std::string> next = current;
      switch (c.op) {
        case alter_config_op::set: next = c.value; break;
        case alter_config_op::remove: next = std::nullopt; break;
        case alter_config_op::append:
        case alter_config_op::subtract: {
          const char* op_name = c.op == alter_config_op::append ? "APPEND" : "SUBTRACT";
          if (!is_splittable(r.type, c.name)) {
            problem = err(error_code::invalid_config,
                          fmt::format("Can't {} to key {} because its type is not LIST.", op_name, c.name));
            break;
          }
          std::vector<std::string> parts = current_parts(next, r.type, c.name);
          for (const std::string& v : java_split(c.value.value_or(""))) {
            auto it = std::find(parts.begin(), parts.end(), v);
            if (c.op == alter_config_op::append) {
              if (it == parts.end()) parts.push_back(v);
            } else if (it != parts.end()) {
              parts.erase(it);
            }
          }
          next = join(parts);
          break;
        }
      }
      if (problem) break;
      if (next != current || r.type == config_resource_type::broker)
        records.push_back(make_record(config_record_for(r, c.name, next)));
    }
    if (!problem) problem = validate_alter(ctx, r, with_records(existing, records), existing);
    if (problem) {
      plan.results.push_back({r, *problem});
      continue;
    }
    plan.records.insert(plan.records.end(), records.begin(), records.end());
    plan.results.push_back({r, api_error{}});
  }
  finish(plan);
  return plan;
}

alter_configs_plan plan_legacy_alter_configs(const plan_context& ctx, const std::vector<replacement_configs>& changes) {
  alter_configs_plan plan;
  for (const auto& resource : changes) {
    const config_resource& r = resource.resource;
    const config::properties existing = stored(ctx, r);
    config::properties wanted;
    for (const auto& [k, v] : resource.configs) wanted.set(k, v);
    std::vector<metadata_record> records;
    for (const auto& [k, v] : wanted.entries()) {
      auto current = existing.get(k);
      if (!current || *current != v || r.type == config_resource_type::broker)
        records.push_back(make_record(config_record_for(r, k, v)));
    }
    for (const auto& [k, v] : existing.entries()) {
      if (!wanted.contains(k)) records.push_back(make_record(config_record_for(r, k, std::nullopt)));
    }
    if (auto problem = validate_alter(ctx, r, with_records(existing, records), existing)) {
      plan.results.push_back({r, *problem});
      continue;
    }
    plan.records.insert(plan.records.end(), records.begin(), records.end());
    plan.results.push_back({r, api_error{}});
  }
  finish(plan);
  return plan;
}

}  // namespace samsa::broker
