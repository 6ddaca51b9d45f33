#pragma once

// Java .properties files, read the way java.util.Properties.load reads them,
// because Kafka's server.properties is one and operators copy theirs over.
//
// Rules kept from Properties.load:
//  - a logical line may continue over several natural lines when it ends in an
//    odd number of backslashes; leading whitespace of each continuation is dropped;
//  - lines whose first non-blank character is '#' or '!' are comments (a comment
//    never continues); blank lines are skipped; line ends are \n, \r or \r\n;
//  - the key ends at the first unescaped '=', ':' or blank (space, \t, \f); blanks
//    and at most one '=' or ':' around the separator are skipped; the value keeps
//    its trailing whitespace;
//  - escapes \t \n \r \f \uXXXX; any other escaped character stands for itself
//    (so "\=" , "\:" and "\ " put separators into keys); a malformed \u is an error;
//  - a key given twice keeps the last value.
// One deliberate difference: Properties.load(InputStream) decodes bytes as
// ISO-8859-1; we keep bytes as they are (UTF-8 in practice) and encode \uXXXX
// as UTF-8. Both agree on ASCII files.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/config/config_error.h"
#include "broker/config/result.h"

namespace samsa::broker::config {

// An ordered string map. Invariant: keys are unique; a key keeps the position
// where it first appeared and the value it was last given.
class properties {
 public:
  using entry = std::pair<std::string, std::string>;

  void set(std::string key, std::string value);
  bool erase(std::string_view key);
  std::optional<std::string_view> get(std::string_view key) const;
  bool contains(std::string_view key) const { return get(key).has_value(); }
  const std::vector<entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<entry> entries_;
};

// Parses the text of a .properties file. Errors name the (1-based) logical line.
result<properties, config_error> parse_properties(std::string_view text);

// Reads and parses a file; a missing or unreadable file is an error naming the path.
result<properties, config_error> load_properties_file(const std::filesystem::path& path);

// One `--override key=value` argument, split like Kafka's
// CommandLineUtils.parseKeyValueArgs: at the first '=', the value may contain
// more '='; a missing value means the empty string. An empty key is refused.
result<properties::entry, config_error> parse_override(std::string_view arg);

}  // namespace samsa::broker::config
