#include "broker/handlers/admin_util.h"

#include "broker/controller/config_ops.h"

namespace samsa::broker {

std::optional<api_error> check_node_id_resource(const std::string& name, int32_t node_id) {
  auto id = parse_java_int(name);
  if (!id)
    return api_error{protocol::error_code::invalid_request, "Node id must be an integer, but it is: " + name};
  if (*id != node_id)
    return api_error{protocol::error_code::invalid_request,
                     "Unexpected broker id, expected " + std::to_string(node_id) + ", but received " + name};
  return std::nullopt;
}

}  // namespace samsa::broker
