#include <algorithm>
#include <cctype>
#include <set>

#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/group_util.h"
#include "protocol/generated/list_groups.h"

namespace samsa::broker {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

void handle_list_groups(request_context&& ctx) {
  protocol::list_groups_request request;
  if (!ctx.decode(request)) return;
  protocol::list_groups_response out;
  groups::group_coordinator* c = group_coordinator_of(ctx);
  if (!c) {
    out.error_code = static_cast<int16_t>(protocol::error_code::coordinator_not_available);
    return ctx.respond(out);
  }
  std::set<std::string> states, types;
  for (const auto& s : request.states_filter) states.insert(lower(s));
  for (const auto& t : request.types_filter) types.insert(lower(t));
  out.groups = c->list_groups(states, types);
  ctx.respond(out);
}

}  // namespace samsa::broker
