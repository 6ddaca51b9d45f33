#include "broker/handlers/alter_configs.h"

#include <algorithm>
#include <map>
#include <set>

#include "broker/controller/dynamic_broker_config.h"
#include "broker/handlers/admin_util.h"
#include "protocol/generated/alter_configs.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using resource = protocol::alter_configs_request::AlterConfigsResource;
using response = protocol::alter_configs_response;

api_error invalid_request(std::string m) { return api_error{error_code::invalid_request, std::move(m)}; }

std::optional<api_error> preprocess(const broker_services& services, const metadata_image& image, const resource& r) {
  std::set<std::string> keys;
  std::vector<std::string> nulls;
  for (const auto& c : r.configs) {
    if (!keys.insert(c.name).second) return invalid_request("Error due to duplicate config keys");
    if (!c.value) nulls.push_back(c.name);
  }
  if (!nulls.empty()) {
    std::string joined;
    for (const auto& n : nulls) joined += (joined.empty() ? "" : ", ") + n;
    return invalid_request("Null value not supported for : " + joined);
  }
  switch (resource_type_of(r.resource_type)) {
    case config_resource_type::broker: {
      if (!r.resource_name.empty()) {
        if (auto e = check_node_id_resource(r.resource_name, services.node_id)) return e;
      }
      config::properties props;
      for (const auto& c : r.configs) props.set(c.name, *c.value);
      return validate_dynamic_broker_configs(*services.config, image, services.node_id, !r.resource_name.empty(),
                                             props);
    }
    case config_resource_type::topic:
    case config_resource_type::client_metrics:
    case config_resource_type::group:
      return std::nullopt;
    default:
      // BROKER_LOGGER included: the legacy API never supported it.
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

void handle_alter_configs(request_context&& context) {
  protocol::alter_configs_request request;
  if (!context.decode(request)) return;
  const broker_services& services = context.services();
  auto image = services.metadata->current();
  const size_t n = request.resources.size();
  std::vector<std::optional<api_error>> early(n);
  std::map<std::pair<int8_t, std::string>, size_t> first_seen;
  for (size_t i = 0; i < n; ++i) {
    const auto& r = request.resources[i];
    auto [it, fresh] = first_seen.emplace(std::make_pair(r.resource_type, r.resource_name), i);
    if (!fresh) early[it->second] = early[i] = invalid_request("Each resource must appear at most once.");
  }
  for (size_t i = 0; i < n; ++i) {
    if (!early[i]) early[i] = preprocess(services, *image, request.resources[i]);
  }
  std::vector<replacement_configs> forwarded;
  for (size_t i = 0; i < n; ++i) {
    if (early[i]) continue;
    const auto& r = request.resources[i];
    replacement_configs c;
    c.resource = config_resource{resource_type_of(r.resource_type), r.resource_name};
    for (const auto& a : r.configs) c.configs.emplace_back(a.name, *a.value);
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
  ctx->services().controller->legacy_alter_configs(
      std::move(forwarded), request.validate_only,
      [ctx, assemble](std::vector<config_resource_result> results) { ctx->respond(assemble(results)); });
}

}  // namespace samsa::broker
