#pragma once

// SubscribedTopicRegex of ConsumerGroupHeartbeat (KIP-848): the pattern a
// member subscribes with, matched by the coordinator against every topic
// name of the metadata image (Kafka's GroupMetadataManager
// .refreshRegularExpressions, which uses RE2/J's Pattern.matcher().matches()).
//
// Samsa compiles the pattern with std::regex (ECMAScript grammar) and
// requires a match of the whole name, as matches() does. Constructs RE2/J
// refuses but ECMAScript accepts (look-around, back-references) are refused
// with RE2/J's description; a leading (?i) is honoured. The remaining
// differences are listed in broker/groups/README.md.

#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace samsa::broker::groups {

class topic_regex {
 public:
  // The compiled pattern, or the description RE2/J's
  // PatternSyntaxException.getDescription() would give ("missing closing )").
  struct compiled;
  static compiled compile(const std::string& pattern);

  // Whether the whole topic name matches.
  bool matches(const std::string& topic) const;

 private:
  std::regex re_;
};

struct topic_regex::compiled {
  std::optional<topic_regex> regex;
  std::string error;  // set when !regex
};

// Kafka's throwIfRegularExpressionIsInvalid message for a pattern that does
// not compile, or nullopt when it compiles.
std::optional<std::string> invalid_topic_regex_message(const std::string& pattern);

// The topics among `names` that `pattern` matches (none when it does not compile).
std::set<std::string> resolve_topic_regex(const std::string& pattern, const std::vector<std::string>& names);

}  // namespace samsa::broker::groups
