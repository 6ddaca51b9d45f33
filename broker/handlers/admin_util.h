#pragma once

// Small helpers the admin handlers share.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker/broker_services.h"
#include "broker/controller/controller.h"
#include "broker/request_context.h"
#include "protocol/error_code.h"

namespace samsa::broker {

inline int16_t wire_code(protocol::error_code e) { return static_cast<int16_t>(e); }

// A request context that asynchronous callbacks (std::function, copyable)
// can hold; answered exactly once like the context itself.
using shared_context = std::shared_ptr<request_context>;
inline shared_context share(request_context&& ctx) { return std::make_shared<request_context>(std::move(ctx)); }

// Kafka's Scala Set.toString for a few names: "Set(a, b)".
inline std::string scala_set(const std::vector<std::string>& names) {
  std::string out = "Set(";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + ")";
}

// ConfigAdminManager.validateResourceNameIsCurrentNodeId (INVALID_REQUEST).
std::optional<api_error> check_node_id_resource(const std::string& name, int32_t node_id);

// What a DescribeConfigs / AlterConfigs resource type id means.
inline config_resource_type resource_type_of(int8_t id) {
  switch (id) {
    case 2: return config_resource_type::topic;
    case 4: return config_resource_type::broker;
    case 8: return config_resource_type::broker_logger;
    case 16: return config_resource_type::client_metrics;
    case 32: return config_resource_type::group;
    default: return config_resource_type::unknown;
  }
}

}  // namespace samsa::broker
