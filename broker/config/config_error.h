#pragma once

// Errors and warnings produced while reading configuration. Messages are one
// line and follow Kafka's wording where Kafka has one, so that an operator who
// searches the message finds Kafka's documentation; e.g. ConfigException's
// "Invalid value X for configuration Y: Z".

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace samsa::broker::config {

struct config_error {
  std::string key;      // the configuration at fault; empty when not about one key
  std::string message;  // one line, complete (names key, value and expectation)
};

// Kafka's ConfigException(name, value, message) wording.
inline config_error invalid_value(std::string_view key, std::string_view value, std::string_view why) {
  return config_error{std::string(key), fmt::format("Invalid value {} for configuration {}{}{}", value, key,
                                                    why.empty() ? "" : ": ", why)};
}

inline config_error config_problem(std::string_view key, std::string message) {
  return config_error{std::string(key), std::move(message)};
}

// Something accepted but worth telling the operator. The library never logs:
// callers do, at a level chosen by kind.
enum class warning_kind {
  unknown_config,     // not a config Kafka 4.0 knows; ignored (Kafka warns the same way)
  ignored_config,     // known, but Samsa cannot honour it (a Java class name, ...)
  not_yet_effective,  // known and validated, but nothing in Samsa acts on it yet
};

struct config_warning {
  warning_kind kind = warning_kind::unknown_config;
  std::string key;
  std::string message;
};

}  // namespace samsa::broker::config
