#pragma once

// Value validators as plain data, mirroring Kafka's ConfigDef validators so a
// definition table can be a constant array rather than code. Each kind keeps
// Kafka's error wording (see validate()).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "broker/config/config_error.h"

namespace samsa::broker::config {

class config_value;
enum class config_type : uint8_t;

enum class validator_kind : uint8_t {
  none,
  range,                       // Range.atLeast / Range.between (inclusive)
  range_or_special,            // [min,max] or exactly `special` (CompressionType.GZIP levels)
  valid_string,                // ValidString.in: exact match
  case_insensitive_string,     // CaseInsensitiveValidString.in
  valid_list,                  // ValidList.in: every element exactly in the set
  non_empty_string,            // NonEmptyString: null allowed, "" refused
  non_null,                    // NonNullValidator
  throttled_replicas,          // "*" or "partition:broker,..." (ThrottledReplicaListValidator)
  quorum_voters,               // "{id}@{host}:{port}" entries (QuorumConfig)
  host_port_list,              // "{host}:{port}" entries (controller.quorum.bootstrap.servers)
};

inline constexpr size_t max_valid_strings = 8;

struct validator {
  validator_kind kind = validator_kind::none;
  // range / range_or_special bounds; nullopt = unbounded.
  std::optional<double> min{};
  std::optional<double> max{};
  int64_t special = 0;
  // valid_string / case_insensitive_string / valid_list, in Kafka's order (it
  // appears in messages); unused slots are empty.
  std::array<std::string_view, max_valid_strings> strings{};
  size_t string_count = 0;
};

// Builders, named after Kafka's.
constexpr validator no_validator() { return {}; }
constexpr validator at_least(double min) { return validator{validator_kind::range, min, std::nullopt}; }
constexpr validator between(double min, double max) { return validator{validator_kind::range, min, max}; }
constexpr validator between_or(double min, double max, int64_t special) {
  return validator{validator_kind::range_or_special, min, max, special};
}
constexpr validator non_empty_string() { return validator{validator_kind::non_empty_string}; }
constexpr validator non_null() { return validator{validator_kind::non_null}; }
constexpr validator throttled_replicas() { return validator{validator_kind::throttled_replicas}; }
constexpr validator quorum_voters() { return validator{validator_kind::quorum_voters}; }
constexpr validator host_port_list() { return validator{validator_kind::host_port_list}; }

template <typename... S>
constexpr validator one_of_kind(validator_kind kind, S... s) {
  static_assert(sizeof...(S) <= max_valid_strings);
  validator v{kind};
  v.strings = {std::string_view(s)...};
  v.string_count = sizeof...(S);
  return v;
}
template <typename... S>
constexpr validator valid_string(S... s) { return one_of_kind(validator_kind::valid_string, s...); }
template <typename... S>
constexpr validator case_insensitive_string(S... s) {
  return one_of_kind(validator_kind::case_insensitive_string, s...);
}
template <typename... S>
constexpr validator valid_list(S... s) { return one_of_kind(validator_kind::valid_list, s...); }

// Checks a parsed value (null included: Kafka validates defaults too).
// Returns the error Kafka would raise, or nothing.
std::optional<config_error> validate(const validator& v, std::string_view name, const config_value& value);

// Human description of the valid values, as Kafka prints in its docs
// ("[1,...]", "[delete, compact]"...); empty when anything goes.
std::string describe_valid_values(const validator& v, config_type type);

}  // namespace samsa::broker::config
