#include "broker/handlers/describe_topic_partitions.h"

#include <algorithm>
#include <set>

#include "broker/cluster/metadata_image.h"
#include "broker/config/broker_config.h"
#include "broker/controller/topic_rules.h"
#include "broker/handlers/admin_util.h"
#include "protocol/generated/describe_topic_partitions.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using response = protocol::describe_topic_partitions_response;

// READ WRITE CREATE DELETE ALTER DESCRIBE DESCRIBE_CONFIGS ALTER_CONFIGS.
constexpr int32_t all_topic_operations = 3576;

bool has_listener(const metadata_image& image, int32_t node, const std::string& listener) {
  for (const auto& b : image.brokers)
    if (b.node_id == node) return b.find_endpoint(listener) != nullptr;
  return false;
}

response::DescribeTopicPartitionsResponsePartition describe(const metadata_image& image, const partition_metadata& p,
                                                            const std::string& listener) {
  response::DescribeTopicPartitionsResponsePartition out;
  out.partition_index = p.partition;
  out.leader_id = has_listener(image, p.leader, listener) ? p.leader : -1;
  out.leader_epoch = p.leader_epoch;
  out.replica_nodes = p.replicas;
  out.isr_nodes = p.isr;
  out.eligible_leader_replicas = std::vector<int32_t>{};
  out.last_known_elr = std::vector<int32_t>{};
  for (int32_t r : p.replicas)
    if (!has_listener(image, r, listener)) out.offline_replicas.push_back(r);
  return out;
}

response invalid_request(const protocol::describe_topic_partitions_request& request) {
  response out;
  for (const auto& t : request.topics) {
    response::DescribeTopicPartitionsResponseTopic r;
    r.name = t.name;
    r.error_code = wire_code(error_code::invalid_request);
    r.is_internal = false;
    out.topics.push_back(std::move(r));
  }
  return out;
}

}  // namespace

void handle_describe_topic_partitions(request_context&& ctx) {
  protocol::describe_topic_partitions_request request;
  if (!ctx.decode(request)) return;
  auto image = ctx.services().metadata->current();
  const bool all_topics = request.topics.empty();
  const std::string cursor_topic = request.cursor ? request.cursor->topic_name : "";
  std::set<std::string> topics;  // sorted, as Kafka sorts them
  if (all_topics) {
    for (const auto& [name, _] : image->topics)
      if (name >= cursor_topic) topics.insert(name);
  } else {
    for (const auto& t : request.topics)
      if (t.name >= cursor_topic) topics.insert(t.name);
    if (request.cursor && !topics.contains(request.cursor->topic_name)) return ctx.respond(invalid_request(request));
  }
  if (request.cursor && request.cursor->partition_index < 0) return ctx.respond(invalid_request(request));

  const int32_t limit = std::max(
      std::min(ctx.services().config->get_int("max.request.partition.size.limit"), request.response_partition_limit), 1);
  int32_t remaining = limit;
  response out;
  out.throttle_time_ms = 0;
  for (const std::string& name : topics) {
    if (remaining == 0) {
      // The cursor points at the start of the first topic not returned.
      out.next_cursor.emplace();
      out.next_cursor->topic_name = name;
      out.next_cursor->partition_index = 0;
      break;
    }
    const topic_metadata* t = image->find_topic(name);
    if (t == nullptr) {
      if (!all_topics) {
        response::DescribeTopicPartitionsResponseTopic r;
        r.name = name;
        r.error_code = wire_code(topic_name_error(name) ? error_code::invalid_topic_exception
                                                        : error_code::unknown_topic_or_partition);
        r.is_internal = is_internal_topic(name);
        r.topic_authorized_operations = all_topic_operations;
        out.topics.push_back(std::move(r));
      }
      continue;
    }
    const int32_t size = static_cast<int32_t>(t->partitions.size());
    const int32_t start = request.cursor && name == cursor_topic ? request.cursor->partition_index : 0;
    const int32_t upper = std::min<int64_t>(size, int64_t{start} + remaining);
    response::DescribeTopicPartitionsResponseTopic r;
    r.name = name;
    r.topic_id = t->id;
    r.is_internal = t->internal;
    r.topic_authorized_operations = all_topic_operations;
    for (int32_t p = start; p < upper; ++p) r.partitions.push_back(describe(*image, t->partitions[p], ctx.listener_name()));
    const auto returned = static_cast<int32_t>(r.partitions.size());
    out.topics.push_back(std::move(r));
    if (upper < size) {
      out.next_cursor.emplace();
      out.next_cursor->topic_name = name;
      out.next_cursor->partition_index = upper;
      break;
    }
    remaining -= returned;
  }
  ctx.respond(out);
}

}  // namespace samsa::broker
