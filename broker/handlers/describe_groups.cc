#include <limits>

#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/group_util.h"
#include "protocol/generated/describe_groups.h"

namespace samsa::broker {
namespace {

// READ DESCRIBE DELETE DESCRIBE_CONFIGS ALTER_CONFIGS: what Kafka's
// AclEntry.supportedOperations(GROUP) allows when no authorizer is configured.
constexpr int32_t all_group_operations = (1 << 3) | (1 << 8) | (1 << 6) | (1 << 10) | (1 << 11);

}  // namespace

void handle_describe_groups(request_context&& ctx) {
  protocol::describe_groups_request request;
  if (!ctx.decode(request)) return;
  protocol::describe_groups_response out;
  for (const auto& id : request.groups) {
    protocol::describe_groups_response::DescribedGroup d;
    if (auto e = check_group_coordinator(ctx, id); e != protocol::error_code::none) {
      d.group_id = id;
      d.error_code = static_cast<int16_t>(e);
    } else {
      d = group_coordinator_of(ctx)->describe_group(id);
      if (ctx.api_version() >= 3 && request.include_authorized_operations && d.error_code == 0)
        d.authorized_operations = all_group_operations;
    }
    out.groups.push_back(std::move(d));
  }
  ctx.respond(out);
}

}  // namespace samsa::broker
