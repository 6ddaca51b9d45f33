#include "broker/handlers/incremental_alter_configs.h"

#include <algorithm>
#include <map>
#include <set>

#include "broker/config/broker_config_defs.h"
#include "broker/config/parse_config.h"
#include "broker/controller/config_ops.h"
#include "broker/controller/dynamic_broker_config.h"
#include "broker/handlers/admin_util.h"
#include "broker/handlers/broker_loggers.h"
#include "protocol/generated/incremental_alter_configs.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using resource = protocol::incremental_alter_configs_request::AlterConfigsResource;
using response = protocol::incremental_alter_configs_response;

api_error invalid_request(std::string m) { return api_error{error_code::invalid_request, std::move(m)}; }

// ConfigAdminManager.prepareIncrementalConfigs over the broker's stored
// dynamic configs; then DynamicBrokerConfig's rules on the result.
std::optional<api_error> check_broker_changes(const broker_services& services, const metadata_image& image,
                                              const resource& r) {
  const bool per_broker = !r.resource_name.empty();
  const config::properties* stored =
      per_broker ? image.dynamic_broker_configs(services.node_id) : image.dynamic_cluster_defaults();
  config::properties props = stored ? *stored : config::properties{};
  for (const auto& c : r.configs) {
    if (c.config_operation < 0 || c.config_operation > 3)
      return invalid_request("Unknown operations type " + std::to_string(c.config_operation));
    const auto op = static_cast<alter_config_op>(c.config_operation);
    if (op == alter_config_op::set) {
      props.set(c.name, *c.value);
      continue;
    }
    if (op == alter_config_op::remove) {
      props.erase(c.name);
      continue;
    }
    const config::config_def* def = config::find_broker_config_def(c.name);
    // Kafka looks the key up with Scala's Map.apply: an unknown key is an
    // unexpected exception, hence UNKNOWN_SERVER_ERROR.
    if (def == nullptr) return api_error{error_code::unknown_server_error, std::nullopt};
    const bool append = op == alter_config_op::append;
    if (def->type != config::config_type::list)
      return api_error{error_code::invalid_config, std::string("Config value ") + (append ? "append" : "subtract") +
                                                       " is not allowed for config key: " + c.name};
    std::optional<std::string> old;
    if (auto v = props.get(c.name)) old = std::string(*v);
    if (!old) old = config::default_text(*def);
    std::vector<std::string> list;
    if (append) {
      if (old && !old->empty()) list = java_split(*old);
      for (auto& v : java_split(*c.value))
        if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(std::move(v));
    } else {
      list = java_split(old.value_or(""));
      for (const auto& v : java_split(*c.value))
        if (auto it = std::find(list.begin(), list.end(), v); it != list.end()) list.erase(it);
    }
    std::string joined;
    for (size_t i = 0; i < list.size(); ++i) joined += (i ? "," : "") + list[i];
    props.set(c.name, joined);
  }
  return validate_dynamic_broker_configs(*services.config, image, services.node_id, per_broker, props);
}

// ConfigAdminManager.preprocess for one resource: an answer, or nullopt to go
// on to the controller.
std::optional<api_error> preprocess(const broker_services& services, const metadata_image& image, const resource& r,
                                    bool validate_only) {
  std::set<std::string> keys;
  std::vector<std::string> nulls;
  for (const auto& c : r.configs) {
    if (!keys.insert(c.name).second) return invalid_request("Error due to duplicate config keys");
    if (c.config_operation != static_cast<int8_t>(alter_config_op::remove) && !c.value) nulls.push_back(c.name);
  }
  if (!nulls.empty()) {
    std::string joined;
    for (const auto& n : nulls) joined += (joined.empty() ? "" : ", ") + n;
    return invalid_request("Null value not supported for : " + joined);
  }
  switch (resource_type_of(r.resource_type)) {
    case config_resource_type::broker_logger:
      if (auto e = apply_log_level_changes(services.node_id, r.resource_name, r.configs, validate_only)) return e;
      return api_error{};
    case config_resource_type::broker:
      if (!r.resource_name.empty()) {
        if (auto e = check_node_id_resource(r.resource_name, services.node_id)) return e;
      }
      return check_broker_changes(services, image, r);
    case config_resource_type::topic:
    case config_resource_type::client_metrics:
    case config_resource_type::group:
      // Samsa's controller knows only the four operation types.
      for (const auto& c : r.configs)
        if (c.config_operation < 0 || c.config_operation > 3)
          return invalid_request("Unknown operations type " + std::to_string(c.config_operation));
      return std::nullopt;
    default:
      return invalid_request("Unknown resource type " + std::to_string(r.resource_type));
  }
}

response::AlterConfigsResourceResponse answer(const resource& r, const api_error& e) {
  response::AlterConfigsResourceResponse out;
  out.resource_type = r.resource_type;
  out.resource_name = r.resource_name;
  out.error_code = wire_code(e.code);
  out.error_message = e.message;
  return out;
}

}  // namespace

void handle_incremental_alter_configs(request_context&& context) {
  protocol::incremental_alter_configs_request request;
  if (!context.decode(request)) return;
  const broker_services& services = context.services();
  auto image = services.metadata->current();
  const size_t n = request.resources.size();
  std::vector<std::optional<api_error>> early(n);
  std::map<std::pair<int8_t, std::string>, size_t> first_seen;
  for (size_t i = 0; i < n; ++i) {
    const auto& r = request.resources[i];
    auto [it, fresh] = first_seen.emplace(std::make_pair(r.resource_type, r.resource_name), i);
    if (!fresh) {
      early[it->second] = early[i] = invalid_request("Each resource must appear at most once.");
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (!early[i]) early[i] = preprocess(services, *image, request.resources[i], request.validate_only);
  }
  std::vector<incremental_config_changes> forwarded;
  for (size_t i = 0; i < n; ++i) {
    if (early[i]) continue;
    const auto& r = request.resources[i];
    incremental_config_changes c;
    c.resource = config_resource{resource_type_of(r.resource_type), r.resource_name};
    for (const auto& a : r.configs)
      c.changes.push_back({a.name, static_cast<alter_config_op>(a.config_operation), a.value});
    forwarded.push_back(std::move(c));
  }
  auto assemble = [request, early](const std::vector<config_resource_result>& results) {
    response out;
    out.throttle_time_ms = 0;
    for (size_t i = 0; i < request.resources.size(); ++i) {
      const auto& r = request.resources[i];
      if (early[i]) {
        out.responses.push_back(answer(r, *early[i]));
        continue;
      }
      const config_resource key{resource_type_of(r.resource_type), r.resource_name};
      auto it = std::find_if(results.begin(), results.end(), [&](const auto& x) { return x.resource == key; });
      out.responses.push_back(
          answer(r, it == results.end() ? api_error{error_code::unknown_server_error, std::nullopt} : it->error));
    }
    return out;
  };
  if (forwarded.empty()) return context.respond(assemble({}));
  auto ctx = share(std::move(context));
  ctx->services().controller->incremental_alter_configs(
      std::move(forwarded), request.validate_only,
      [ctx, assemble](std::vector<config_resource_result> results) { ctx->respond(assemble(results)); });
}

}  // namespace samsa::broker
