#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/group_util.h"
#include "protocol/generated/consumer_group_heartbeat.h"

namespace samsa::broker {

using protocol::error_code;

void handle_consumer_group_heartbeat(request_context&& ctx) {
  protocol::consumer_group_heartbeat_request request;
  if (!ctx.decode(request)) return;
  // An empty group id is INVALID_REQUEST (the coordinator's check); any
  // other id must be coordinated here.
  if (!request.group_id.empty()) {
    if (error_code e = check_group_coordinator(ctx, request.group_id); e != error_code::none) {
      protocol::consumer_group_heartbeat_response r;
      r.error_code = static_cast<int16_t>(e);
      return ctx.respond(r);
    }
  }
  groups::heartbeat_origin origin;
  origin.api_version = ctx.api_version();
  origin.client_id = ctx.header().client_id.value_or("");
  origin.client_host = client_host_of(ctx);
  auto shared = std::make_shared<request_context>(std::move(ctx));
  groups::group_coordinator* c = group_coordinator_of(*shared);
  c->consumer_group_heartbeat(origin, std::move(request), [shared](protocol::consumer_group_heartbeat_response r) {
    shared->respond(r);
  });
}

}  // namespace samsa::broker
