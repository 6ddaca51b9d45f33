#include <memory>

#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/group_util.h"
#include "protocol/generated/offset_delete.h"

namespace samsa::broker {

using protocol::error_code;
using request_t = protocol::offset_delete_request;
using response_t = protocol::offset_delete_response;

void handle_offset_delete(request_context&& ctx) {
  request_t request;
  if (!ctx.decode(request)) return;
  response_t fail;
  if (request.group_id.empty()) fail.error_code = static_cast<int16_t>(error_code::invalid_group_id);
  else fail.error_code = static_cast<int16_t>(check_group_coordinator(ctx, request.group_id));
  if (fail.error_code != 0) return ctx.respond(fail);

  // KafkaApis.handleOffsetDeleteRequest: unknown topics and partitions are
  // answered here, first; the coordinator's answer for the others is merged after.
  using builder_t = topic_response_builder<response_t::OffsetDeleteResponseTopic>;
  auto unknown = std::make_shared<builder_t>();
  request_t valid = keep_known_partitions(request, *unknown, known_partitions(ctx));
  auto pending = std::make_shared<request_context>(std::move(ctx));
  group_coordinator_of(*pending)->delete_offsets(std::move(valid), [pending, unknown](response_t r) {
    if (r.error_code == 0) {
      unknown->merge(r.topics);
      r.topics = unknown->take();
    }
    pending->respond(r);
  });
}

}  // namespace samsa::broker
