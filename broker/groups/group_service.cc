#include "broker/groups/group_service.h"

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/config/broker_config.h"
#include "broker/groups/assignors.h"

namespace samsa::broker::groups {

coordinator_config coordinator_config_from(const config::broker_config& c) {
  coordinator_config out;
  out.min_session_timeout_ms = c.get_int("group.min.session.timeout.ms");
  out.max_session_timeout_ms = c.get_int("group.max.session.timeout.ms");
  out.initial_rebalance_delay_ms = c.get_int("group.initial.rebalance.delay.ms");
  out.max_size = c.get_int("group.max.size");
  out.offset_metadata_max_bytes = c.get_int("offset.metadata.max.bytes");
  out.offsets_topic_partitions = c.offsets_topic_num_partitions();
  out.offsets_retention_ms = static_cast<int64_t>(c.get_int("offsets.retention.minutes")) * 60 * 1000;
  out.offsets_retention_check_interval_ms = c.get_long("offsets.retention.check.interval.ms");
  out.consumer_session_timeout_ms = c.get_int("group.consumer.session.timeout.ms");
  out.consumer_heartbeat_interval_ms = c.get_int("group.consumer.heartbeat.interval.ms");
  out.consumer_max_size = c.get_int("group.consumer.max.size");
  out.consumer_assignors.clear();
  for (const auto& a : c.get_list("group.consumer.assignors"))
    if (auto name = assignor_short_name(a)) out.consumer_assignors.push_back(*name);
  if (out.consumer_assignors.empty()) out.consumer_assignors = {"uniform", "range"};
  if (auto p = parse_migration_policy(c.get_string("group.consumer.migration.policy")))
    out.consumer_migration_policy = *p;
  return out;
}

group_service::group_service(const config::broker_config& config, broker_services& services)
    : services_(services),
      log_(services),
      coordinator_(coordinator_config_from(config), log_, steady_now_ms, std::random_device{}(), system_now_ms) {
  // Consumer groups resolve subscribed topic names in the current metadata image.
  coordinator_.set_topic_lookup([&services](const std::string& name) -> std::optional<topic_info> {
    auto image = services.metadata->current();
    const topic_metadata* t = image->find_topic(name);
    if (!t) return std::nullopt;
    return topic_info{t->id, static_cast<int32_t>(t->partitions.size())};
  });
  // Regular expressions are resolved against every topic of the image (Kafka
  // does not leave internal topics out; only a DESCRIBE ACL filter would).
  coordinator_.set_topic_names([&services]() {
    auto image = services.metadata->current();
    topic_names_snapshot out;
    out.version = image->offset;
    out.names.reserve(image->topics.size());
    for (const auto& [name, t] : image->topics) out.names.push_back(name);
    return out;
  });
}

group_service::~group_service() {
  stop();
}

int64_t group_service::load() {
  const int64_t n = load_consumer_offsets(services_, coordinator_);
  ticker_ = std::make_unique<group_ticker>(coordinator_, std::chrono::milliseconds(50));
  return n;
}

void group_service::stop() {
  ticker_.reset();
  coordinator_.shutdown();
}

}  // namespace samsa::broker::groups
