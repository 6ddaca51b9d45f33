#include "broker/config/validator.h"

#include <algorithm>
#include <cctype>

#include "broker/config/config_value.h"
#include "broker/config/host_port.h"
#include "broker/config/java_numbers.h"

namespace samsa::broker::config {

namespace {

std::string joined(const validator& v, bool upper) {
  std::string out;
  for (size_t i = 0; i < v.string_count; ++i) {
    if (i > 0) out += ", ";
    std::string s(v.strings[i]);
    if (upper) std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    out += s;
  }
  return out;
}

bool contains(const validator& v, std::string_view s, bool case_insensitive) {
  for (size_t i = 0; i < v.string_count; ++i) {
    std::string_view candidate = v.strings[i];
    if (!case_insensitive) {
      if (candidate == s) return true;
      continue;
    }
    if (candidate.size() != s.size()) continue;
    bool same = std::equal(candidate.begin(), candidate.end(), s.begin(),
                           [](char a, char b) { return std::toupper(static_cast<unsigned char>(a)) ==
                                                       std::toupper(static_cast<unsigned char>(b)); });
    if (same) return true;
  }
  return false;
}

std::optional<config_error> check_range(const validator& v, std::string_view name, const config_value& value,
                                        std::string_view shown) {
  double n = *value.as_number();
  if (v.min && n < *v.min) {
    return invalid_value(name, shown, "Value must be at least " + java_bound_string(*v.min));
  }
  if (v.max && n > *v.max) {
    return invalid_value(name, shown, "Value must be no more than " + java_bound_string(*v.max));
  }
  return std::nullopt;
}

std::optional<config_error> check_voters(std::string_view name, const config_value::list_type& entries) {
  constexpr std::string_view form = "Each entry should be in the form `{id}@{host}:{port}`.";
  for (const auto& entry : entries) {
    size_t at = entry.find('@');
    if (at == std::string::npos || entry.find('@', at + 1) != std::string::npos || at == 0 ||
        at + 1 == entry.size()) {
      return config_problem(name, fmt::format("Invalid configuration value for {}. {}", name, form));
    }
    std::string_view id = std::string_view(entry).substr(0, at);
    if (!java_parse_integer(id, INT32_MIN, INT32_MAX)) {
      return config_problem(name, fmt::format("Failed to parse voter ID as an integer from {}", id));
    }
    std::string_view address = std::string_view(entry).substr(at + 1);
    // Utils.getHost fails (null) when there is no "host:digits" shape at all;
    // a host with bad characters fails validHostPattern; otherwise it is the port.
    size_t colon = address.rfind(':');
    std::string_view host = colon == std::string_view::npos ? address : address.substr(0, colon);
    if (!host.empty() && host.front() == '[') host.remove_prefix(1);
    if (!host.empty() && host.back() == ']') host.remove_suffix(1);
    if (colon == std::string_view::npos || !valid_host_pattern(host)) {
      return config_problem(
          name, fmt::format("Failed to parse host name from entry {} for the configuration {}. {}", entry, name, form));
    }
    if (!parse_host_port(address)) {
      return config_problem(
          name, fmt::format("Failed to parse host port from entry {} for the configuration {}. {}", entry, name, form));
    }
  }
  return std::nullopt;
}

std::optional<config_error> check_host_ports(std::string_view name, const config_value::list_type& entries) {
  for (const auto& entry : entries) {
    if (!parse_host_port(entry)) {
      return config_problem(name, fmt::format("Failed to parse host name from {} for the configuration {}. Each entry "
                                              "should be in the form \"{{host}}:{{port}}\"",
                                              entry, name));
    }
  }
  return std::nullopt;
}

// Matches ([0-9]+:[0-9]+)? -- empty, or digits ':' digits.
bool replica_pair_or_empty(std::string_view s) {
  if (s.empty()) return true;
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  auto digits = [](std::string_view d) { return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  return digits(s.substr(0, colon)) && digits(s.substr(colon + 1));
}

bool throttled_replicas_ok(const config_value::list_type& list) {
  bool all_pairs = std::all_of(list.begin(), list.end(),
                               [](const std::string& s) { return replica_pair_or_empty(java_trim(s)); });
  if (all_pairs) return true;
  std::string concatenated;
  for (const auto& s : list) concatenated += java_trim(s);
  return concatenated == "*";
}

}  // namespace

std::optional<config_error> validate(const validator& v, std::string_view name, const config_value& value) {
  switch (v.kind) {
    case validator_kind::none:
      return std::nullopt;
    case validator_kind::range: {
      if (value.is_null()) return invalid_value(name, "null", "Value must be non-null");
      return check_range(v, name, value, value.java_string());
    }
    case validator_kind::range_or_special: {
      if (value.is_null()) return invalid_value(name, "null", "Value must be non-null");
      double n = *value.as_number();
      if (n == static_cast<double>(v.special)) return std::nullopt;
      if ((v.min && n < *v.min) || (v.max && n > *v.max)) {
        return invalid_value(name, value.java_string(),
                             fmt::format("Value must be between {} and {} or equal to {}", java_bound_string(*v.min),
                                         java_bound_string(*v.max), v.special));
      }
      return std::nullopt;
    }
    case validator_kind::valid_string:
    case validator_kind::case_insensitive_string: {
      bool ci = v.kind == validator_kind::case_insensitive_string;
      if (!value.is_null() && contains(v, value.as_string(), ci)) return std::nullopt;
      std::string shown = value.is_null() ? "null" : value.as_string();
      return invalid_value(name, shown, ci ? "String must be one of (case insensitive): " + joined(v, true)
                                           : "String must be one of: " + joined(v, false));
    }
    case validator_kind::valid_list: {
      if (value.is_null()) return std::nullopt;
      for (const auto& element : value.as_list()) {
        if (!contains(v, element, false)) {
          return invalid_value(name, element, "String must be one of: " + joined(v, false));
        }
      }
      return std::nullopt;
    }
    case validator_kind::non_empty_string:
      if (!value.is_null() && value.as_string().empty()) {
        return invalid_value(name, "", "String must be non-empty");
      }
      return std::nullopt;
    case validator_kind::non_null:
      if (value.is_null()) return invalid_value(name, "null", "entry must be non null");
      return std::nullopt;
    case validator_kind::throttled_replicas: {
      if (value.is_null()) return std::nullopt;
      const auto& list = value.as_list();
      if (throttled_replicas_ok(list)) return std::nullopt;
      return invalid_value(name, java_list_string(list),
                           fmt::format("{} must be the literal '*' or a list of replicas in the following format: "
                                       "[partitionId]:[brokerId],[partitionId]:[brokerId],...",
                                       name));
    }
    case validator_kind::quorum_voters:
      if (value.is_null()) return invalid_value(name, "null", "");
      return check_voters(name, value.as_list());
    case validator_kind::host_port_list:
      if (value.is_null()) return invalid_value(name, "null", "");
      return check_host_ports(name, value.as_list());
  }
  return std::nullopt;
}

std::string describe_valid_values(const validator& v, config_type type) {
  (void)type;
  switch (v.kind) {
    case validator_kind::none: return "";
    case validator_kind::range:
      if (v.min && v.max) return fmt::format("[{},...,{}]", java_bound_string(*v.min), java_bound_string(*v.max));
      if (v.min) return fmt::format("[{},...]", java_bound_string(*v.min));
      if (v.max) return fmt::format("[...,{}]", java_bound_string(*v.max));
      return "[...]";
    case validator_kind::range_or_special:
      return fmt::format("[{},...,{}] or {}", java_bound_string(*v.min), java_bound_string(*v.max), v.special);
    case validator_kind::valid_string:
    case validator_kind::valid_list: return "[" + joined(v, false) + "]";
    case validator_kind::case_insensitive_string: return "(case insensitive) [" + joined(v, true) + "]";
    case validator_kind::non_empty_string: return "non-empty string";
    case validator_kind::non_null: return "non-null string";
    case validator_kind::throttled_replicas: return "[partitionId]:[brokerId],[partitionId]:[brokerId],...";
    case validator_kind::quorum_voters:
    case validator_kind::host_port_list: return "non-empty list";
  }
  return "";
}

}  // namespace samsa::broker::config
