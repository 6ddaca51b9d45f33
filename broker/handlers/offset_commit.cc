#include <memory>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/data/partition_directory.h"
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
  auto image = ctx.services().metadata->current();

  // KafkaApis: partitions of unknown topics are answered here; the rest go on.
  auto answer = std::make_shared<response_t>();
  auto known = std::make_shared<std::vector<std::pair<size_t, size_t>>>();  // (topic, partition) slots sent on
  request_t valid = request;
  valid.topics.clear();
  for (size_t ti = 0; ti < request.topics.size(); ++ti) {
    const auto& t = request.topics[ti];
    auto& rt = answer->topics.emplace_back();
    rt.name = t.name;
    const topic_metadata* meta = image->find_topic(t.name);
    request_t::OffsetCommitRequestTopic kept;
    kept.name = t.name;
    for (size_t pi = 0; pi < t.partitions.size(); ++pi) {
      auto& rp = rt.partitions.emplace_back();
      rp.partition_index = t.partitions[pi].partition_index;
      if (!meta || !data::find_partition(*meta, rp.partition_index)) {
        rp.error_code = static_cast<int16_t>(error_code::unknown_topic_or_partition);
      } else {
        kept.partitions.push_back(t.partitions[pi]);
        known->emplace_back(ti, pi);
      }
    }
    if (!kept.partitions.empty()) valid.topics.push_back(std::move(kept));
  }
  auto fill = [answer, known](const response_t& from) {
    size_t k = 0;
    for (const auto& t : from.topics)
      for (const auto& p : t.partitions) {
        const auto [ti, pi] = (*known)[k++];
        answer->topics[ti].partitions[pi].error_code = p.error_code;
      }
  };
  auto fail_known = [&](error_code e) {
    for (const auto& [ti, pi] : *known) answer->topics[ti].partitions[pi].error_code = static_cast<int16_t>(e);
    ctx.respond(*answer);
  };
  if (known->empty()) return ctx.respond(*answer);
  // An empty group id is a group like any other (GroupCoordinatorService.commitOffsets:
  // "for backwards compatibility"); only a null one is invalid, and the schema has none.
  if (error_code e = check_group_coordinator(ctx, request.group_id); e != error_code::none) return fail_known(e);
  auto pending = std::make_shared<request_context>(std::move(ctx));
  const int16_t version = pending->api_version();
  group_coordinator_of(*pending)->commit_offsets(version, std::move(valid), [pending, answer, fill](response_t r) {
    fill(r);
    pending->respond(*answer);
  });
}

}  // namespace samsa::broker
