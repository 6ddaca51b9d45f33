#include <memory>

#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/group_util.h"
#include "protocol/generated/sync_group.h"

namespace samsa::broker {

using protocol::error_code;

void handle_sync_group(request_context&& ctx) {
  protocol::sync_group_request request;
  if (!ctx.decode(request)) return;
  auto fail = [&](error_code e) {
    protocol::sync_group_response r;
    r.error_code = static_cast<int16_t>(e);
    ctx.respond(r);
  };
  // KafkaApis: from v5 the protocol type and name are mandatory.
  if (ctx.api_version() >= 5 && (!request.protocol_type || !request.protocol_name))
    return fail(error_code::inconsistent_group_protocol);
  if (request.group_id.empty()) return fail(error_code::invalid_group_id);
  if (error_code e = check_group_coordinator(ctx, request.group_id); e != error_code::none) return fail(e);
  auto pending = std::make_shared<request_context>(std::move(ctx));
  group_coordinator_of(*pending)->sync_group(std::move(request), [pending](protocol::sync_group_response r) {
    pending->respond(r);
  });
}

}  // namespace samsa::broker
