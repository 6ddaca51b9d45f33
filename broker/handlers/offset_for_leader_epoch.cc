#include "broker/handlers/offset_for_leader_epoch.h"

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/data/data_plane.h"
#include "protocol/error_code.h"
#include "protocol/generated/offset_for_leader_epoch.h"
#include "storage/log/partition_log.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using request_t = protocol::offset_for_leader_epoch_request;
using response_t = protocol::offset_for_leader_epoch_response;

// RecordBatch.NO_PARTITION_LEADER_EPOCH: "no epoch given".
constexpr int32_t kNoEpoch = -1;

response_t::EpochEndOffset end_offset_of(broker_services& services, const metadata_image& image,
                                         const std::string& topic, const request_t::OffsetForLeaderPartition& p) {
  response_t::EpochEndOffset out;
  out.partition = p.partition;
  data::partition_lookup found = services.data->partitions.find(image, topic, p.partition);
  error_code e = found.error;
  if (e == error_code::none && p.current_leader_epoch != kNoEpoch) {
    if (found.metadata->leader_epoch > p.current_leader_epoch) e = error_code::fenced_leader_epoch;
    else if (found.metadata->leader_epoch < p.current_leader_epoch) e = error_code::unknown_leader_epoch;
  }
  out.error_code = static_cast<int16_t>(e);
  if (e != error_code::none) return out;
  if (auto end = found.partition->log().end_offset_for_epoch(leader_epoch{p.leader_epoch})) {
    out.leader_epoch = end->epoch.value();
    out.end_offset = end->end_offset.value();
  }
  return out;
}

}  // namespace

void handle_offset_for_leader_epoch(request_context&& ctx) {
  request_t request;
  if (!ctx.decode(request)) return;
  auto image = ctx.services().metadata->current();
  response_t out;
  out.topics.reserve(request.topics.size());
  for (const auto& t : request.topics) {
    auto& rt = out.topics.emplace_back();
    rt.topic = t.topic;
    for (const auto& p : t.partitions) rt.partitions.push_back(end_offset_of(ctx.services(), *image, t.topic, p));
  }
  ctx.respond(out);
}

}  // namespace samsa::broker
