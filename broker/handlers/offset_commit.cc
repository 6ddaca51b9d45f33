#include <memory>

#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/group_util.h"
#include "protocol/generated/offset_commit.h"

namespace samsa::broker {

using protocol::error_code;
using request_t = protocol::offset_commit_request;
using response_t = protocol::offset_commit_response;

void handle_offset_commit(request_context&& ctx) {
  request_t request;
  if (!ctx.decode(request)) return;

  // KafkaApis: partitions of unknown topics are answered here, first; the
  // rest go to the coordinator and its answer is merged after them.
  using builder_t = topic_response_builder<response_t::OffsetCommitResponseTopic>;
  auto answer = std::make_shared<builder_t>();
  request_t valid = keep_known_partitions(request, *answer, known_partitions(ctx));
  auto respond = [answer](request_context& c, const response_t& from_coordinator) {
    answer->merge(from_coordinator.topics);
    response_t out;
    out.topics = answer->take();
    c.respond(out);
  };
  auto fail_valid = [&](error_code e) { respond(ctx, every_partition_failed<response_t>(valid, e)); };
  if (valid.topics.empty()) return respond(ctx, response_t{});
  // An empty group id is a group like any other (GroupCoordinatorService.commitOffsets:
  // "for backwards compatibility"); only a null one is invalid, and the schema has none.
  if (error_code e = check_group_coordinator(ctx, request.group_id); e != error_code::none) return fail_valid(e);
  auto pending = std::make_shared<request_context>(std::move(ctx));
  const int16_t version = pending->api_version();
  group_coordinator_of(*pending)->commit_offsets(version, std::move(valid), [pending, respond](response_t r) {
    respond(*pending, r);
  });
}

}  // namespace samsa::broker
