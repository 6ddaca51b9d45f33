#include "broker/handlers/metadata.h"

#include <limits>
#include <set>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/cluster/topic_name.h"
#include "broker/config/broker_config.h"
#include "broker/controller/controller.h"
#include "protocol/error_code.h"
#include "protocol/generated/metadata.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using response = protocol::metadata_response;

// Authorized-operation bitfields when no authorizer is configured: every
// operation a topic (or the cluster) supports (AuthHelper.authorizedOperations).
constexpr int32_t all_topic_operations = 3576;    // READ WRITE CREATE DELETE ALTER DESCRIBE DESCRIBE_CONFIGS ALTER_CONFIGS
constexpr int32_t all_cluster_operations = 8096;  // CREATE ALTER DESCRIBE CLUSTER_ACTION DESCRIBE_CONFIGS ALTER_CONFIGS IDEMPOTENT_WRITE
constexpr int32_t operations_not_requested = std::numeric_limits<int32_t>::min();

int16_t code(error_code e) { return static_cast<int16_t>(e); }

response::MetadataResponseTopic describe(const topic_metadata& t, int32_t authorized_operations) {
  response::MetadataResponseTopic out;
  out.name = t.name;
  out.topic_id = t.id;
  out.is_internal = t.internal;
  out.topic_authorized_operations = authorized_operations;
  out.partitions.reserve(t.partitions.size());
  for (const auto& p : t.partitions) {
    response::MetadataResponsePartition mp;
    mp.error_code = code(p.leader < 0 ? error_code::leader_not_available : error_code::none);
    mp.partition_index = p.partition;
    mp.leader_id = p.leader;
    mp.leader_epoch = p.leader_epoch;
    mp.replica_nodes = p.replicas;
    mp.isr_nodes = p.isr;
    mp.offline_replicas = p.offline_replicas;
    out.partitions.push_back(std::move(mp));
  }
  return out;
}

response::MetadataResponseTopic topic_error(std::optional<std::string> name, const uuid& id, error_code e,
                                            int32_t authorized_operations) {
  response::MetadataResponseTopic out;
  out.error_code = code(e);
  out.name = std::move(name);
  out.topic_id = id;
  out.is_internal = out.name && is_internal_topic(*out.name);
  out.topic_authorized_operations = authorized_operations;
  return out;
}

// Topics named but unknown are created when `to_create` is given
// (auto.create.topics.enable and the request allows it): they are answered
// UNKNOWN_TOPIC_OR_PARTITION now, as Kafka's KRaft broker does, and appear in
// a later Metadata response.
void add_requested_topics(const protocol::metadata_request& request, int16_t version, const metadata_image& image,
                          int32_t topic_ops, response& out, std::vector<std::string>* to_create) {
  bool by_id = false;
  for (const auto& t : *request.topics) by_id |= !t.topic_id.is_zero();
  if (by_id) {
    // With any topic id present, names are ignored.
    std::set<uuid> seen;
    for (const auto& t : *request.topics) {
      if (t.topic_id.is_zero() || !seen.insert(t.topic_id).second) continue;
      if (const topic_metadata* found = image.find_topic(t.topic_id)) {
        out.topics.push_back(describe(*found, topic_ops));
      } else {
        out.topics.push_back(topic_error(std::nullopt, t.topic_id, error_code::unknown_topic_id, topic_ops));
      }
    }
    return;
  }
  std::set<std::string> seen;
  for (const auto& t : *request.topics) {
    if (!t.name || !seen.insert(*t.name).second) continue;
    const std::string& name = *t.name;
    if (const topic_metadata* found = image.find_topic(name)) {
      out.topics.push_back(describe(*found, topic_ops));
    } else if (!is_valid_topic_name(name)) {
      out.topics.push_back(topic_error(name, uuid{}, error_code::invalid_topic_exception, topic_ops));
    } else {
      if (to_create) to_create->push_back(name);
      out.topics.push_back(topic_error(name, uuid{}, error_code::unknown_topic_or_partition, topic_ops));
    }
  }
}

// The requests Kafka fails as a whole, answered with MetadataRequest's
// generic error response, or none_ok:
//  - topic ids or null names before v12 (KAFKA-10774) are an INVALID_REQUEST;
//  - from v12, a null name without any topic id reaches Kafka's name lookup and
//    fails there (UNKNOWN_SERVER_ERROR).
error_code request_error(const protocol::metadata_request& request, int16_t version) {
  if (!request.topics) return error_code::none;
  bool any_id = false, null_name = false;
  for (const auto& t : *request.topics) {
    any_id |= !t.topic_id.is_zero();
    null_name |= !t.name.has_value();
  }
  if (version < 12 && (any_id || null_name)) return error_code::invalid_request;
  if (null_name && !any_id) return error_code::unknown_server_error;
  return error_code::none;
}

// MetadataRequest.getErrorResponse: every requested topic with the error (a
// null name as ""), no brokers, no cluster id, controller -1.
response error_response(const protocol::metadata_request& request, error_code e) {
  response out;
  for (const auto& t : *request.topics) {
    auto& topic = out.topics.emplace_back();
    topic.error_code = code(e);
    topic.name = t.name.value_or("");
    topic.topic_id = t.topic_id;
  }
  return out;
}

}  // namespace

void handle_metadata(request_context&& ctx) {
  protocol::metadata_request request;
  if (!ctx.decode(request)) return;
  const int16_t version = ctx.api_version();
  if (error_code e = request_error(request, version); e != error_code::none) {
    return ctx.respond(error_response(request, e));
  }
  auto image = ctx.services().metadata->current();

  response out;
  for (const auto& b : image->brokers) {
    if (const endpoint* ep = b.find_endpoint(ctx.listener_name()))
      out.brokers.push_back({b.node_id, ep->host, ep->port, b.rack, {}});
  }
  out.cluster_id = image->cluster_id;
  // Kafka's KRaft brokers name a live broker, not the quorum controller, so that
  // admin calls reach a broker that forwards them.
  out.controller_id = image->controller_id;
  out.cluster_authorized_operations =
      request.include_cluster_authorized_operations ? all_cluster_operations : operations_not_requested;
  const int32_t topic_ops =
      request.include_topic_authorized_operations ? all_topic_operations : operations_not_requested;

  // A null list asks for every topic; so does an empty one in v0 (MetadataRequest.isAllTopics).
  const bool all_topics = !request.topics || (request.topics->empty() && version == 0);
  if (all_topics) {
    for (const auto& [_, t] : image->topics) out.topics.push_back(describe(t, topic_ops));
  } else {
    const bool auto_create = ctx.services().config->auto_create_topics_enable() &&
                             request.allow_auto_topic_creation && ctx.services().controller != nullptr;
    std::vector<std::string> to_create;
    add_requested_topics(request, version, *image, topic_ops, out, auto_create ? &to_create : nullptr);
    if (!to_create.empty()) ctx.services().controller->auto_create_topics(std::move(to_create));
  }
  ctx.respond(out);
}

}  // namespace samsa::broker
