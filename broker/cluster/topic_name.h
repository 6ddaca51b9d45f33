#pragma once

// Kafka's rules for topic names (Topic.validate): 1 to 249 characters from
// [a-zA-Z0-9._-], and neither "." nor "..".

#include <string_view>

namespace samsa::broker {

inline constexpr size_t max_topic_name_length = 249;

inline bool is_valid_topic_name(std::string_view name) {
  if (name.empty() || name.size() > max_topic_name_length || name == "." || name == "..") return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

// The internal topics Kafka flags with is_internal.
inline bool is_internal_topic(std::string_view name) {
  return name == "__consumer_offsets" || name == "__transaction_state" || name == "__share_group_state";
}

}  // namespace samsa::broker
