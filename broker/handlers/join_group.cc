#include <memory>

#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/group_util.h"
#include "protocol/generated/join_group.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using response_t = protocol::join_group_response;

// JoinGroupResponse: before v7 the protocol name is not nullable.
void send(request_context& ctx, response_t r) {
  if (ctx.api_version() < 7 && !r.protocol_name) r.protocol_name = std::string();
  ctx.respond(r);
}

}  // namespace

void handle_join_group(request_context&& ctx) {
  protocol::join_group_request request;
  if (!ctx.decode(request)) return;
  if (ctx.api_version() == 0) request.rebalance_timeout_ms = request.session_timeout_ms;
  auto fail = [&](error_code e) {
    response_t r;
    r.error_code = static_cast<int16_t>(e);
    r.member_id = request.member_id;
    r.protocol_name.reset();
    send(ctx, std::move(r));
  };
  if (request.group_id.empty()) return fail(error_code::invalid_group_id);
  groups::group_coordinator* coordinator = group_coordinator_of(ctx);
  if (!coordinator) return fail(error_code::coordinator_not_available);
  // GroupCoordinatorService.joinGroup checks the session timeout before the
  // coordinator runtime finds (or not) the group's partition.
  if (request.session_timeout_ms < coordinator->config().min_session_timeout_ms ||
      request.session_timeout_ms > coordinator->config().max_session_timeout_ms)
    return fail(error_code::invalid_session_timeout);
  if (error_code e = check_group_coordinator(ctx, request.group_id); e != error_code::none) return fail(e);

  groups::join_origin origin;
  origin.api_version = ctx.api_version();
  origin.client_id = ctx.header().client_id.value_or("");
  origin.client_host = client_host_of(ctx);
  // The answer may come from another thread, after the rebalance.
  auto pending = std::make_shared<request_context>(std::move(ctx));
  coordinator->join_group(origin, std::move(request), [pending](response_t r) { send(*pending, std::move(r)); });
}

}  // namespace samsa::broker
