#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/group_util.h"
#include "protocol/generated/consumer_group_describe.h"

namespace samsa::broker {
namespace {

// READ DESCRIBE DELETE DESCRIBE_CONFIGS ALTER_CONFIGS, as DescribeGroups answers.
constexpr int32_t all_group_operations = (1 << 3) | (1 << 8) | (1 << 6) | (1 << 10) | (1 << 11);

}  // namespace

void handle_consumer_group_describe(request_context&& ctx) {
  protocol::consumer_group_describe_request request;
  if (!ctx.decode(request)) return;
  protocol::consumer_group_describe_response out;
  for (const auto& id : request.group_ids) {
    protocol::consumer_group_describe_response::DescribedGroup d;
    if (auto e = check_group_coordinator(ctx, id); e != protocol::error_code::none) {
      d.group_id = id;
      d.error_code = static_cast<int16_t>(e);
    } else {
      d = group_coordinator_of(ctx)->consumer_group_describe(id);
      if (request.include_authorized_operations && d.error_code == 0) d.authorized_operations = all_group_operations;
    }
    out.groups.push_back(std::move(d));
  }
  ctx.respond(out);
}

}  // namespace samsa::broker
