#include "broker/handlers/fetch_answer.h"

#include <chrono>
#include <set>

#include "broker/data/partition_directory.h"
#include "protocol/error_code.h"

namespace samsa::broker {
namespace {

using protocol::error_code;

int16_t code(error_code e) { return static_cast<int16_t>(e); }

}  // namespace

int64_t fetch_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void answer_fetch(request_context& ctx, fetch_context& session, std::vector<partition_result> read,
                  std::vector<partition_result> erroneous, const metadata_image& image) {
  const int16_t version = ctx.api_version();
  std::set<int32_t> leaders;
  for (auto& r : read) {
    if (version >= 16 && (r.data.error_code == code(error_code::not_leader_or_follower) ||
                          r.data.error_code == code(error_code::fenced_leader_epoch))) {
      // KafkaApis.getCurrentLeader: the image's leader and epoch, -1 when unknown.
      const topic_metadata* t = r.partition.topic ? image.find_topic(*r.partition.topic) : nullptr;
      const partition_metadata* p = t ? data::find_partition(*t, r.partition.partition.value()) : nullptr;
      r.data.current_leader.leader_id = p ? p->leader : -1;
      r.data.current_leader.leader_epoch = p ? p->leader_epoch : -1;
      if (p && p->leader >= 0) leaders.insert(p->leader);
    }
  }
  for (auto& e : erroneous) read.push_back(std::move(e));
  if (version <= 5) {
    // Older clients do not know KAFKA_STORAGE_ERROR and would give up.
    for (auto& r : read) {
      if (r.data.error_code == code(error_code::kafka_storage_error)) {
        r.data.error_code = code(error_code::not_leader_or_follower);
      }
    }
  }
  protocol::fetch_response response = session.build_response(std::move(read), fetch_clock_ms());
  for (int32_t id : leaders) {
    for (const auto& b : image.brokers) {
      if (b.node_id != id) continue;
      if (const endpoint* ep = b.find_endpoint(ctx.listener_name())) {
        protocol::fetch_response::NodeEndpoint n;
        n.node_id = b.node_id;
        n.host = ep->host;
        n.port = ep->port;
        n.rack = b.rack;
        response.node_endpoints.push_back(std::move(n));
      }
    }
  }
  ctx.respond(response);
}

}  // namespace samsa::broker
