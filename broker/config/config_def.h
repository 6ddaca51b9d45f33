#pragma once

// One configuration's definition: Kafka's ConfigDef.ConfigKey plus what Kafka
// keeps elsewhere (DynamicBrokerConfig's update mode) and Samsa's own
// bookkeeping (whether anything acts on it yet). Tables of these are constant
// data; see broker_config_defs.h and topic_config_defs.h.

#include <cstdint>
#include <string_view>

#include "broker/config/config_types.h"
#include "broker/config/validator.h"

namespace samsa::broker::config {

enum class default_kind : uint8_t {
  value,       // default_text holds the default, in the syntax parse_value accepts
  null_value,  // Kafka's `null` default: unset unless configured
  required,    // ConfigDef.NO_DEFAULT_VALUE: must be configured
};

struct default_spec {
  default_kind kind = default_kind::null_value;
  std::string_view text{};
};

constexpr default_spec value(std::string_view text) { return {default_kind::value, text}; }
inline constexpr default_spec null_default{default_kind::null_value, {}};
inline constexpr default_spec no_default{default_kind::required, {}};

struct config_def {
  std::string_view name;
  config_type type = config_type::string;
  default_spec default_value{};
  validator valid{};
  importance level = importance::medium;
  std::string_view doc{};
  update_mode mode = update_mode::read_only;
  samsa_support support = samsa_support::accepted;
  bool internal = false;        // ConfigDef.defineInternal: neither documented nor described
  std::string_view samsa_note{};  // where Samsa knowingly differs from Kafka

  constexpr config_def per_broker() const { return with_mode(update_mode::per_broker); }
  constexpr config_def cluster_wide() const { return with_mode(update_mode::cluster_wide); }
  constexpr config_def hidden() const {
    config_def c = *this;
    c.internal = true;
    return c;
  }
  constexpr config_def effective() const {
    config_def c = *this;
    c.support = samsa_support::effective;
    return c;
  }
  constexpr config_def note(std::string_view n) const {
    config_def c = *this;
    c.samsa_note = n;
    return c;
  }

  // Passwords are sensitive: DescribeConfigs reports them as null.
  constexpr bool sensitive() const { return type == config_type::password; }

 private:
  constexpr config_def with_mode(update_mode m) const {
    config_def c = *this;
    c.mode = m;
    return c;
  }
};

constexpr config_def define(std::string_view name, config_type type, default_spec dflt, validator valid,
                            importance level, std::string_view doc) {
  config_def d;
  d.name = name;
  d.type = type;
  d.default_value = dflt;
  d.valid = valid;
  d.level = level;
  d.doc = doc;
  return d;
}

constexpr config_def define(std::string_view name, config_type type, default_spec dflt, importance level,
                            std::string_view doc) {
  return define(name, type, dflt, no_validator(), level, doc);
}

}  // namespace samsa::broker::config
