#include "broker/handlers/group_util.h"

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/data/partition_directory.h"
#include "broker/groups/coordinator_partition.h"
#include "broker/groups/group_coordinator.h"

namespace samsa::broker {

using protocol::error_code;

groups::group_coordinator* group_coordinator_of(const request_context& ctx) { return ctx.services().groups; }

error_code check_group_coordinator(const request_context& ctx, const std::string& group_id) {
  groups::group_coordinator* c = group_coordinator_of(ctx);
  if (!c) return error_code::coordinator_not_available;
  auto image = ctx.services().metadata->current();
  const topic_metadata* t = image->find_topic(groups::kConsumerOffsetsTopic);
  if (!t) return error_code::not_coordinator;
  const partition_metadata* p = data::find_partition(*t, c->partition_for(group_id));
  if (!p || p->leader != ctx.services().node_id) return error_code::not_coordinator;
  return error_code::none;
}

known_partitions::known_partitions(const request_context& ctx) : image_(ctx.services().metadata->current()) {}

bool known_partitions::operator()(const std::string& topic, int32_t partition) const {
  const topic_metadata* meta = image_->find_topic(topic);
  return meta != nullptr && data::find_partition(*meta, partition) != nullptr;
}

std::string client_host_of(const request_context& ctx) {
  const std::string& peer = ctx.peer();
  const auto colon = peer.rfind(':');
  return "/" + (colon == std::string::npos ? peer : peer.substr(0, colon));
}

}  // namespace samsa::broker
