#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/group_util.h"
#include "protocol/generated/leave_group.h"

namespace samsa::broker {

using protocol::error_code;

void handle_leave_group(request_context&& ctx) {
  protocol::leave_group_request request;
  if (!ctx.decode(request)) return;
  const int16_t version = ctx.api_version();
  if (version < 3) {
    // LeaveGroupRequest.members(): one member, by id.
    request.members.clear();
    request.members.emplace_back().member_id = request.member_id;
  }
  protocol::leave_group_response r;
  error_code e = error_code::none;
  if (request.group_id.empty()) e = error_code::invalid_group_id;
  else e = check_group_coordinator(ctx, request.group_id);
  if (e == error_code::none) {
    r = group_coordinator_of(ctx)->leave_group(request.members, request.group_id);
  } else {
    r.error_code = static_cast<int16_t>(e);
  }
  // LeaveGroupResponse before v3: the member's error is the response's.
  if (version < 3 && r.error_code == 0 && !r.members.empty()) r.error_code = r.members.front().error_code;
  ctx.respond(r);
}

}  // namespace samsa::broker
