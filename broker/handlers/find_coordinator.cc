#include "broker/handlers/find_coordinator.h"

#include <string>
#include <vector>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/config/broker_config.h"
#include "broker/controller/controller.h"
#include "broker/data/partition_directory.h"
#include "broker/groups/coordinator_partition.h"
#include "broker/txn/transaction_log_records.h"
#include "protocol/error_code.h"
#include "protocol/generated/find_coordinator.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using response_t = protocol::find_coordinator_response;

constexpr int8_t kGroup = 0;
constexpr int8_t kTransaction = 1;
constexpr int8_t kShare = 2;

struct coordinator_node {
  error_code error = error_code::none;
  int32_t node_id = -1;  // Node.noNode()
  std::string host;
  int32_t port = -1;
};

coordinator_node failed(error_code e) {
  coordinator_node n;
  n.error = e;
  return n;
}

// KafkaApis.getCoordinator.
coordinator_node find(request_context& ctx, int8_t key_type, const std::string& key) {
  if (key_type == kShare) return failed(error_code::invalid_request);
  broker_services& services = ctx.services();
  const bool txn = key_type == kTransaction;
  const std::string internal_topic = txn ? txn::kTransactionStateTopic : groups::kConsumerOffsetsTopic;
  auto image = services.metadata->current();
  const topic_metadata* topic = image->find_topic(internal_topic);
  if (!topic) {
    if (services.controller) services.controller->auto_create_topics({internal_topic});
    return failed(error_code::coordinator_not_available);
  }
  const int32_t partitions = txn ? services.config->transaction_state_log_num_partitions()
                                 : services.config->offsets_topic_num_partitions();
  const partition_metadata* p = data::find_partition(*topic, groups::coordinator_partition_for(key, partitions));
  if (!p || p->leader < 0) return failed(error_code::coordinator_not_available);
  for (const auto& b : image->brokers) {
    if (b.node_id != p->leader) continue;
    const endpoint* e = b.find_endpoint(ctx.listener_name());
    if (!e) break;
    coordinator_node n;
    n.node_id = b.node_id;
    n.host = e->host;
    n.port = e->port;
    return n;
  }
  return failed(error_code::coordinator_not_available);
}

}  // namespace

void handle_find_coordinator(request_context&& ctx) {
  protocol::find_coordinator_request request;
  if (!ctx.decode(request)) return;
  const int16_t version = ctx.api_version();
  const bool known_type = request.key_type == kGroup || request.key_type == kTransaction || request.key_type == kShare;
  response_t out;
  if (version < 4) {
    // CoordinatorType.forId throws for an unknown type: the request's error response.
    coordinator_node n = known_type ? find(ctx, request.key_type, request.key) : failed(error_code::invalid_request);
    out.error_code = static_cast<int16_t>(n.error);
    out.error_message = n.error == error_code::none ? std::string("NONE") : std::string(protocol::default_message(n.error));
    out.node_id = n.node_id;
    out.host = n.host;
    out.port = n.port;
    return ctx.respond(out);
  }
  for (const auto& key : request.coordinator_keys) {
    coordinator_node n = !known_type                                   ? failed(error_code::invalid_request)
                         : request.key_type == kShare && version < 6 ? failed(error_code::invalid_request)
                                                                       : find(ctx, request.key_type, key);
    response_t::Coordinator c;
    c.key = key;
    c.node_id = n.node_id;
    c.host = n.host;
    c.port = n.port;
    c.error_code = static_cast<int16_t>(n.error);
    // The whole-request error response carries messages; per-key lookups do not.
    if (!known_type) c.error_message = std::string(protocol::default_message(n.error));
    out.coordinators.push_back(std::move(c));
  }
  ctx.respond(out);
}

}  // namespace samsa::broker
