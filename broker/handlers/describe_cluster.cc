#include "broker/handlers/describe_cluster.h"

#include <limits>

#include "broker/cluster/metadata_image.h"
#include "broker/handlers/admin_util.h"
#include "protocol/generated/describe_cluster.h"

namespace samsa::broker {
namespace {

using protocol::error_code;

// EndpointType ids.
constexpr int8_t endpoint_broker = 1;
constexpr int8_t endpoint_controller = 2;

// Every cluster operation when no authorizer is configured
// (AuthHelper.authorizedOperations): CREATE ALTER DESCRIBE CLUSTER_ACTION
// DESCRIBE_CONFIGS ALTER_CONFIGS IDEMPOTENT_WRITE.
constexpr int32_t all_cluster_operations = 8096;

}  // namespace

void handle_describe_cluster(request_context&& ctx) {
  protocol::describe_cluster_request request;
  if (!ctx.decode(request)) return;
  const int16_t version = ctx.api_version();
  protocol::describe_cluster_response out;
  out.throttle_time_ms = 0;
  if (request.endpoint_type != endpoint_broker && request.endpoint_type != endpoint_controller) {
    out.error_code = wire_code(version == 0 ? error_code::invalid_request : error_code::unsupported_endpoint_type);
    out.error_message = "Unsupported endpoint type " + std::to_string(request.endpoint_type);
    return ctx.respond(out);
  }
  if (request.endpoint_type == endpoint_controller) {
    out.error_code = wire_code(version == 0 ? error_code::invalid_request : error_code::mismatched_endpoint_type);
    out.error_message = "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER";
    return ctx.respond(out);
  }
  auto image = ctx.services().metadata->current();
  out.cluster_id = image->cluster_id;
  out.endpoint_type = endpoint_broker;
  out.cluster_authorized_operations =
      request.include_cluster_authorized_operations ? all_cluster_operations : std::numeric_limits<int32_t>::min();
  bool controller_listed = false;
  for (const auto& b : image->brokers) {
    const endpoint* ep = b.find_endpoint(ctx.listener_name());
    if (ep == nullptr) continue;
    out.brokers.push_back({b.node_id, ep->host, ep->port, b.rack, {}});
    controller_listed |= b.node_id == image->controller_id;
  }
  // Kafka names a random live broker; on one node that is this broker.
  out.controller_id = controller_listed ? image->controller_id : -1;
  ctx.respond(out);
}

}  // namespace samsa::broker
