#include <memory>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/data/partition_directory.h"
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
  auto image = ctx.services().metadata->current();
  using builder_t = topic_response_builder<response_t::OffsetDeleteResponseTopic>;
  auto unknown = std::make_shared<builder_t>();
  request_t valid;
  valid.group_id = request.group_id;
  for (const auto& t : request.topics) {
    const topic_metadata* meta = image->find_topic(t.name);
    request_t::OffsetDeleteRequestTopic kept;
    kept.name = t.name;
    for (const auto& p : t.partitions) {
      if (meta && data::find_partition(*meta, p.partition_index)) {
        kept.partitions.push_back(p);
      } else {
        response_t::OffsetDeleteResponsePartition rp;
        rp.partition_index = p.partition_index;
        rp.error_code = static_cast<int16_t>(error_code::unknown_topic_or_partition);
        unknown->add(t.name, rp);
      }
    }
    if (!kept.partitions.empty()) valid.topics.push_back(std::move(kept));
  }
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
