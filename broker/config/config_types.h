#pragma once

// The small vocabularies a configuration definition is made of. Names and
// numbers follow Kafka: ConfigDef.Type / Importance, DescribeConfigs'
// ConfigSource and ConfigType ids (wire values), and the update modes Kafka
// prints in its broker-config documentation ("read-only", "per-broker",
// "cluster-wide").

#include <cstdint>
#include <string_view>

namespace samsa::broker::config {

// ConfigDef.Type.
enum class config_type : uint8_t { boolean, string, int32, int16, int64, float64, list, class_name, password };

// Kafka's name for the type, as used in "Not a number of type INT".
constexpr std::string_view kafka_type_name(config_type t) {
  switch (t) {
    case config_type::boolean: return "BOOLEAN";
    case config_type::string: return "STRING";
    case config_type::int32: return "INT";
    case config_type::int16: return "SHORT";
    case config_type::int64: return "LONG";
    case config_type::float64: return "DOUBLE";
    case config_type::list: return "LIST";
    case config_type::class_name: return "CLASS";
    case config_type::password: return "PASSWORD";
  }
  return "UNKNOWN";
}

// DescribeConfigsResponse ConfigType ids (wire values, DescribeConfigs v3+).
enum class describe_config_type : int8_t {
  unknown = 0,
  boolean = 1,
  string = 2,
  int32 = 3,
  int16 = 4,
  int64 = 5,
  float64 = 6,
  list = 7,
  class_name = 8,
  password = 9,
};

constexpr describe_config_type to_describe_type(config_type t) {
  switch (t) {
    case config_type::boolean: return describe_config_type::boolean;
    case config_type::string: return describe_config_type::string;
    case config_type::int32: return describe_config_type::int32;
    case config_type::int16: return describe_config_type::int16;
    case config_type::int64: return describe_config_type::int64;
    case config_type::float64: return describe_config_type::float64;
    case config_type::list: return describe_config_type::list;
    case config_type::class_name: return describe_config_type::class_name;
    case config_type::password: return describe_config_type::password;
  }
  return describe_config_type::unknown;
}

// ConfigDef.Importance.
enum class importance : uint8_t { high, medium, low };

// DescribeConfigs ConfigSource ids (wire values).
enum class config_source : int8_t {
  unknown = 0,
  topic_config = 1,
  dynamic_broker_config = 2,
  dynamic_default_broker_config = 3,
  static_broker_config = 4,
  default_config = 5,
  dynamic_broker_logger_config = 6,
  client_metrics_config = 7,
  group_config = 8,
};

// Whether a broker config can be altered at runtime (Kafka's
// DynamicBrokerConfig): read-only configs only change with a restart;
// per-broker ones may be set for one broker id; cluster-wide ones may be set
// for one broker or as the cluster default (empty resource name).
enum class update_mode : uint8_t { read_only, per_broker, cluster_wide };

constexpr std::string_view update_mode_name(update_mode m) {
  switch (m) {
    case update_mode::read_only: return "read-only";
    case update_mode::per_broker: return "per-broker";
    case update_mode::cluster_wide: return "cluster-wide";
  }
  return "read-only";
}

// Whether anything in Samsa acts on the value yet. Honest bookkeeping for
// docs/configuration.md: a config is `accepted` (parsed, validated, described)
// until the code that honours it lands and flips it to `effective`.
enum class samsa_support : uint8_t { accepted, effective };

}  // namespace samsa::broker::config
