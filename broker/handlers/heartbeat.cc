#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/group_util.h"
#include "protocol/generated/heartbeat.h"

namespace samsa::broker {

using protocol::error_code;

void handle_heartbeat(request_context&& ctx) {
  protocol::heartbeat_request request;
  if (!ctx.decode(request)) return;
  error_code e = error_code::none;
  if (request.group_id.empty()) e = error_code::invalid_group_id;
  else e = check_group_coordinator(ctx, request.group_id);
  if (e == error_code::none) e = group_coordinator_of(ctx)->heartbeat(request);
  protocol::heartbeat_response r;
  r.error_code = static_cast<int16_t>(e);
  ctx.respond(r);
}

}  // namespace samsa::broker
