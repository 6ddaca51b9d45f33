#pragma once

// A topic's effective configuration: its overrides (set by CreateTopics or
// AlterConfigs) over the broker-supplied defaults (broker_config::topic_default),
// as Kafka's LogConfig.fromProps(extractLogConfigMap, overrides) builds it.
//
// Thread-safety: immutable; share by const&.
// Invariant: values_ holds one validated value per topic_config_defs() entry,
// and min.compaction.lag.ms <= max.compaction.lag.ms.
//
// Validation of overrides is Kafka's (ControllerConfigurationValidator +
// LogConfig.validate); every failure maps to the Kafka error INVALID_CONFIG
// (40) with the message as error message:
//   null value           "Null value not supported for topic configs: a,b"
//   unknown name         "Unknown topic config name: foo"
//   bad value            "Invalid value x for configuration segment.bytes: Not a number of type INT"
//   min > max lag        "conflict topic config setting min.compaction.lag.ms (5) > max.compaction.lag.ms (4)"
//   remote.storage=true  "Tiered Storage functionality is disabled in the broker. Topic cannot be configured
//                         with remote log storage."

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/config/config_error.h"
#include "broker/config/config_value.h"
#include "broker/config/properties.h"
#include "broker/config/result.h"

namespace samsa::broker::config {

// Kafka's Errors.INVALID_CONFIG, the code every topic config error maps to.
inline constexpr int16_t invalid_config_error_code = 40;

// One config of a CreateTopics / AlterConfigs request; the value may be null
// on the wire.
struct topic_config_override {
  std::string name;
  std::optional<std::string> value;
};

enum class timestamp_type : uint8_t { create_time, log_append_time };

class topic_config;

// Checks the overrides of a CreateTopics / AlterConfigs request without
// keeping the result (same rules as topic_config::resolve).
result<ok_t, config_error> validate_topic_config(const broker_config& broker,
                                                 std::span<const topic_config_override> overrides,
                                                 const properties& existing = {});

class topic_config {
 public:
  // Validates `overrides` and resolves every topic config against `broker`.
  // `existing` is the topic's current override set (for AlterConfigs rules
  // that depend on the previous state); empty for CreateTopics.
  static result<topic_config, config_error> resolve(const broker_config& broker,
                                                    std::span<const topic_config_override> overrides,
                                                    const properties& existing = {});
  // Convenience for stored, already non-null overrides.
  static result<topic_config, config_error> resolve(const broker_config& broker, const properties& overrides);

  // Precondition: `name` is a topic config (checked).
  const config_value& get(std::string_view name) const;
  bool is_overridden(std::string_view name) const { return overrides_.contains(name); }
  // The overrides as supplied (DescribeConfigs' TOPIC_CONFIG layer).
  const properties& overrides() const { return overrides_; }

  int32_t segment_bytes() const { return get("segment.bytes").as_int(); }
  int64_t segment_ms() const { return get("segment.ms").as_long(); }
  int64_t segment_jitter_ms() const { return get("segment.jitter.ms").as_long(); }
  int32_t segment_index_bytes() const { return get("segment.index.bytes").as_int(); }
  int64_t flush_messages() const { return get("flush.messages").as_long(); }
  int64_t flush_ms() const { return get("flush.ms").as_long(); }
  int64_t retention_bytes() const { return get("retention.bytes").as_long(); }
  int64_t retention_ms() const { return get("retention.ms").as_long(); }
  int32_t max_message_bytes() const { return get("max.message.bytes").as_int(); }
  int32_t index_interval_bytes() const { return get("index.interval.bytes").as_int(); }
  int64_t delete_retention_ms() const { return get("delete.retention.ms").as_long(); }
  int64_t min_compaction_lag_ms() const { return get("min.compaction.lag.ms").as_long(); }
  int64_t max_compaction_lag_ms() const { return get("max.compaction.lag.ms").as_long(); }
  int64_t file_delete_delay_ms() const { return get("file.delete.delay.ms").as_long(); }
  double min_cleanable_dirty_ratio() const { return get("min.cleanable.dirty.ratio").as_double(); }
  // cleanup.policy contains "compact" / "delete" (LogConfig compares lower-cased).
  bool compact() const;
  bool delete_retention_enabled() const;
  bool unclean_leader_election_enable() const { return get("unclean.leader.election.enable").as_bool(); }
  int32_t min_insync_replicas() const { return get("min.insync.replicas").as_int(); }
  // One of uncompressed, zstd, lz4, snappy, gzip, producer.
  const std::string& compression_type() const { return get("compression.type").as_string(); }
  bool preallocate() const { return get("preallocate").as_bool(); }
  timestamp_type message_timestamp_type() const;
  int64_t message_timestamp_before_max_ms() const { return get("message.timestamp.before.max.ms").as_long(); }
  int64_t message_timestamp_after_max_ms() const { return get("message.timestamp.after.max.ms").as_long(); }
  // local.retention.* with -2 resolved to retention.* (LogConfig.localRetention*).
  int64_t local_retention_ms() const;
  int64_t local_retention_bytes() const;

 private:
  topic_config() = default;
  properties overrides_;
  std::vector<config_value> values_;  // aligned with topic_config_defs()
};

}  // namespace samsa::broker::config
