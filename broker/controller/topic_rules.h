#pragma once

// Kafka's topic name rules with Kafka's messages (clients' Topic.java):
// validation ("Topic name is invalid: ...") and the '.'/'_' collision rule
// (metric names cannot tell "a.b" from "a_b", so both cannot exist).

#include <optional>
#include <string>
#include <string_view>

#include "broker/cluster/topic_name.h"

namespace samsa::broker {

// Topic.validate: nullopt for a valid name, else InvalidTopicException's message.
inline std::optional<std::string> topic_name_error(std::string_view name) {
  std::string reason;
  if (name.empty()) {
    reason = "the empty string is not allowed";
  } else if (name == ".") {
    reason = "'.' is not allowed";
  } else if (name == "..") {
    reason = "'..' is not allowed";
  } else if (name.size() > max_topic_name_length) {
    reason = "the length of '" + std::string(name) + "' is longer than the max allowed length 249";
  } else if (!is_valid_topic_name(name)) {
    reason = "'" + std::string(name) + "' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'";
  } else {
    return std::nullopt;
  }
  return "Topic name is invalid: " + reason;
}

inline bool has_collision_chars(std::string_view name) {
  return name.find('.') != std::string_view::npos || name.find('_') != std::string_view::npos;
}

// Topic.unifyCollisionChars: '.' becomes '_'.
inline std::string unify_collision_chars(std::string_view name) {
  std::string out(name);
  for (char& c : out)
    if (c == '.') c = '_';
  return out;
}

}  // namespace samsa::broker
