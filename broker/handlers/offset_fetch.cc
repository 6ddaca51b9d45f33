#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_handlers.h"
#include "broker/handlers/group_util.h"
#include "protocol/generated/offset_fetch.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using request_t = protocol::offset_fetch_request;
using response_t = protocol::offset_fetch_response;
using topic_list = std::vector<std::pair<std::string, std::vector<int32_t>>>;

groups::fetched_group fetch_one(request_context& ctx, const std::string& group_id,
                                const std::optional<topic_list>& topics, bool require_stable,
                                const std::optional<std::string>& member_id = std::nullopt, int32_t member_epoch = -1) {
  // An empty group id is a group like any other (GroupCoordinatorService.fetchOffsets).
  groups::fetched_group g;
  g.error = check_group_coordinator(ctx, group_id);
  if (g.error != error_code::none) return g;
  // v9+: a member of a consumer group fetches with its member id and epoch.
  g.error = group_coordinator_of(ctx)->validate_offset_fetch(group_id, member_id, member_epoch);
  if (g.error != error_code::none) return g;
  return group_coordinator_of(ctx)->fetch_offsets(group_id, topics, require_stable);
}

// The same answer in the response's two shapes (top-level topics before v8, per group after).
template <typename Topics>
void add_topics(Topics& out, const groups::fetched_group& g) {
  for (const auto& t : g.topics) {
    auto& rt = out.emplace_back();
    rt.name = t.name;
    for (const auto& p : t.partitions) {
      auto& rp = rt.partitions.emplace_back();
      rp.partition_index = p.partition;
      rp.committed_offset = p.offset;
      rp.committed_leader_epoch = p.leader_epoch;
      rp.metadata = p.metadata;
      rp.error_code = static_cast<int16_t>(p.error);
    }
  }
}

}  // namespace

void handle_offset_fetch(request_context&& ctx) {
  request_t request;
  if (!ctx.decode(request)) return;
  const int16_t version = ctx.api_version();
  response_t out;
  if (version < 8) {
    std::optional<topic_list> topics;
    if (request.topics) {
      topics.emplace();
      for (const auto& t : *request.topics) topics->emplace_back(t.name, t.partition_indexes);
    }
    groups::fetched_group g = fetch_one(ctx, request.group_id, topics, version >= 7 && request.require_stable);
    out.error_code = static_cast<int16_t>(g.error);
    add_topics(out.topics, g);
    return ctx.respond(out);
  }
  for (const auto& group : request.groups) {
    std::optional<topic_list> topics;
    if (group.topics) {
      topics.emplace();
      for (const auto& t : *group.topics) topics->emplace_back(t.name, t.partition_indexes);
    }
    groups::fetched_group g =
        fetch_one(ctx, group.group_id, topics, request.require_stable, group.member_id, group.member_epoch);
    auto& rg = out.groups.emplace_back();
    rg.group_id = group.group_id;
    rg.error_code = static_cast<int16_t>(g.error);
    add_topics(rg.topics, g);
  }
  ctx.respond(out);
}

}  // namespace samsa::broker
