#include "broker/handlers/describe_configs.h"

#include <algorithm>
#include <map>

#include "broker/cluster/metadata_image.h"
#include "broker/config/describe.h"
#include "broker/controller/config_ops.h"
#include "broker/controller/topic_rules.h"
#include "broker/handlers/admin_util.h"
#include "broker/handlers/broker_loggers.h"
#include "protocol/generated/describe_configs.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using request_resource = protocol::describe_configs_request::DescribeConfigsResource;
using response = protocol::describe_configs_response;
using entry = response::DescribeConfigsResourceResult;

entry to_entry(config::described_config&& d) {
  entry e;
  e.name = std::move(d.name);
  e.value = std::move(d.value);
  e.read_only = d.read_only;
  e.is_default = d.source == config::config_source::default_config;
  e.config_source = static_cast<int8_t>(d.source);
  e.is_sensitive = d.sensitive;
  for (auto& s : d.synonyms)
    e.synonyms.push_back({std::move(s.name), std::move(s.value), static_cast<int8_t>(s.source), {}});
  e.config_type = static_cast<int8_t>(d.type);
  e.documentation = std::move(d.documentation);
  return e;
}

// The broker's configs: sources and synonyms from the static configuration
// and the dynamic layers, values from the configuration in force
// (ConfigHelper describes KafkaConfig after dynamic updates).
std::vector<config::described_config> describe_this_broker(const broker_services& services,
                                                           const metadata_image& image,
                                                           const config::describe_options& options,
                                                           const config::dynamic_broker_layers& layers) {
  auto out = config::describe_broker_config(*services.config, options, layers);
  if (!image.effective_config || (layers.per_broker == nullptr && layers.cluster_default == nullptr)) return out;
  config::describe_options values_only = options;
  values_only.include_synonyms = false;
  values_only.include_documentation = false;
  std::map<std::string, config::described_config> current;
  for (auto& d : config::describe_broker_config(*image.effective_config, values_only)) current.emplace(d.name, std::move(d));
  for (auto& d : out) {
    if (auto it = current.find(d.name); it != current.end()) {
      d.value = it->second.value;
      current.erase(it);
    }
  }
  // Keys only the dynamic layers supply (custom configs).
  for (auto& [name, d] : current) {
    const bool mine = layers.per_broker && layers.per_broker->contains(name);
    d.source = mine ? config::config_source::dynamic_broker_config : config::config_source::dynamic_default_broker_config;
    if (options.include_synonyms) d.synonyms.push_back({name, d.value, d.source});
    out.push_back(std::move(d));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

response::DescribeConfigsResult failed(const request_resource& r, error_code code, std::optional<std::string> message) {
  response::DescribeConfigsResult out;
  out.resource_type = r.resource_type;
  out.resource_name = r.resource_name;
  out.error_code = wire_code(code);
  out.error_message = std::move(message);
  return out;
}

// Kafka's Log4jController.loggers as BROKER_LOGGER entries.
response::DescribeConfigsResult describe_loggers(const broker_services& services, const request_resource& r,
                                                 const std::vector<std::string>& names) {
  if (r.resource_name.empty()) return failed(r, error_code::invalid_request, "Broker id must not be empty");
  auto id = parse_java_int(r.resource_name);
  if (!id) return failed(r, error_code::invalid_request, "Broker id must be an integer, but it is: " + r.resource_name);
  if (*id != services.node_id)
    return failed(r, error_code::invalid_request,
                  "Unexpected broker id, expected " + std::to_string(services.node_id) + " but received " +
                      r.resource_name);
  response::DescribeConfigsResult out;
  out.resource_type = r.resource_type;
  out.resource_name = r.resource_name;
  for (auto& [name, level] : current_log_levels()) {
    if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end()) continue;
    entry e;
    e.name = name;
    e.value = level;
    e.config_source = static_cast<int8_t>(config::config_source::dynamic_broker_logger_config);
    e.is_sensitive = false;
    e.read_only = false;
    out.configs.push_back(std::move(e));
  }
  return out;
}

// A client metrics subscription: its stored configs, whatever keys were asked for (as Kafka).
response::DescribeConfigsResult describe_client_metrics(const metadata_image& image, const request_resource& r) {
  if (r.resource_name.empty())
    return failed(r, error_code::invalid_request, "Client metrics subscription name must not be empty");
  response::DescribeConfigsResult out;
  out.resource_type = r.resource_type;
  out.resource_name = r.resource_name;
  if (const config::properties* p = image.find_configs({config_resource_type::client_metrics, r.resource_name})) {
    for (const auto& [k, v] : p->entries()) {
      entry e;
      e.name = k;
      e.value = v;
      e.config_source = static_cast<int8_t>(config::config_source::client_metrics_config);
      e.is_sensitive = false;
      e.read_only = false;
      out.configs.push_back(std::move(e));
    }
  }
  return out;
}

response::DescribeConfigsResult describe(const broker_services& services, const metadata_image& image,
                                         const request_resource& r, bool include_synonyms, bool include_documentation) {
  config::describe_options options;
  options.include_synonyms = include_synonyms;
  options.include_documentation = include_documentation;
  if (r.configuration_keys) options.names = *r.configuration_keys;
  const config::dynamic_broker_layers layers{image.dynamic_broker_configs(services.node_id),
                                             image.dynamic_cluster_defaults()};
  response::DescribeConfigsResult out;
  out.resource_type = r.resource_type;
  out.resource_name = r.resource_name;
  std::vector<config::described_config> described;
  switch (resource_type_of(r.resource_type)) {
    case config_resource_type::topic: {
      if (auto why = topic_name_error(r.resource_name)) return failed(r, error_code::invalid_topic_exception, *why);
      const topic_metadata* t = image.find_topic(r.resource_name);
      if (t == nullptr) {
        out.error_code = wire_code(error_code::unknown_topic_or_partition);
        return out;
      }
      if (t->config) {
        described = config::describe_topic_config(*services.config, *t->config, options, layers);
      } else {
        auto resolved = config::topic_config::resolve(*services.config, config::properties{});
        described = config::describe_topic_config(*services.config, *resolved, options, layers);
      }
      break;
    }
    case config_resource_type::broker: {
      if (r.resource_name.empty()) {
        described = config::describe_cluster_default_config(options, layers);
        break;
      }
      auto id = parse_java_int(r.resource_name);
      if (!id)
        return failed(r, error_code::invalid_request, "Broker id must be an integer, but it is: " + r.resource_name);
      if (*id != services.node_id)
        return failed(r, error_code::invalid_request,
                      "Unexpected broker id, expected " + std::to_string(services.node_id) +
                          " or empty string, but received " + r.resource_name);
      described = describe_this_broker(services, image, options, layers);
      break;
    }
    case config_resource_type::broker_logger:
      return describe_loggers(services, r, options.names);
    case config_resource_type::client_metrics:
      return describe_client_metrics(image, r);
    case config_resource_type::group:
      if (r.resource_name.empty()) return failed(r, error_code::invalid_request, "Group name must not be empty");
      return failed(r, error_code::invalid_request, "Unsupported resource type: GROUP");
    default:
      return failed(r, error_code::invalid_request, std::nullopt);
  }
  for (auto& d : described) out.configs.push_back(to_entry(std::move(d)));
  return out;
}

}  // namespace

void handle_describe_configs(request_context&& ctx) {
  protocol::describe_configs_request request;
  if (!ctx.decode(request)) return;
  response out;
  out.throttle_time_ms = 0;
  // ConfigHelper: a resource type Kafka does not know fails the whole request.
  for (const auto& r : request.resources) {
    if (resource_type_of(r.resource_type) == config_resource_type::unknown) {
      const std::string message(protocol::default_message(error_code::invalid_request));
      for (const auto& x : request.resources) out.results.push_back(failed(x, error_code::invalid_request, message));
      return ctx.respond(out);
    }
  }
  const broker_services& services = ctx.services();
  auto image = services.metadata->current();
  const bool documentation = ctx.api_version() >= 3 && request.include_documentation;
  for (const auto& r : request.resources)
    out.results.push_back(describe(services, *image, r, request.include_synonyms, documentation));
  ctx.respond(out);
}

}  // namespace samsa::broker
