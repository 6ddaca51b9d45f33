#include <map>
#include <memory>

#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/group_util.h"
#include "protocol/generated/delete_groups.h"

namespace samsa::broker {

using protocol::error_code;
using result_t = protocol::delete_groups_response::DeletableGroupResult;

void handle_delete_groups(request_context&& ctx) {
  protocol::delete_groups_request request;
  if (!ctx.decode(request)) return;
  auto out = std::make_shared<protocol::delete_groups_response>();
  std::vector<std::string> deletable;
  std::vector<size_t> slots;
  for (const auto& id : request.groups_names) {
    auto& r = out->results.emplace_back();
    r.group_id = id;
    if (auto e = check_group_coordinator(ctx, id); e != error_code::none) {
      r.error_code = static_cast<int16_t>(e);
    } else {
      slots.push_back(out->results.size() - 1);
      deletable.push_back(id);
    }
  }
  if (deletable.empty()) return ctx.respond(*out);
  auto pending = std::make_shared<request_context>(std::move(ctx));
  group_coordinator_of(*pending)->delete_groups(std::move(deletable), [pending, out, slots](std::vector<result_t> rs) {
    for (size_t i = 0; i < rs.size() && i < slots.size(); ++i) out->results[slots[i]].error_code = rs[i].error_code;
    pending->respond(*out);
  });
}

}  // namespace samsa::broker
