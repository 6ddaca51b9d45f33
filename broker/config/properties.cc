#include "broker/config/properties.h"

#include <fstream>
#include <sstream>

namespace samsa::broker::config {

void properties::set(std::string key, std::string value) {
  for (auto& [k, v] : entries_) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  entries_.emplace_back(std::move(key), std::move(value));
}

bool properties::erase(std::string_view key) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first == key) {
      entries_.erase(it);
      return true;
    }
  }
  return false;
}

std::optional<std::string_view> properties::get(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f'; }
bool is_eol(char c) { return c == '\n' || c == '\r'; }

// Splits text into logical lines the way java.util.Properties.LineReader does:
// comments and blank lines vanish, continuations are joined (their trailing
// backslash and the next line's leading blanks removed).
std::vector<std::string> logical_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string line;
  bool skip_blanks = true;
  bool continuation_start = false;  // at the start of a continued natural line
  bool preceding_backslash = false;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i++];
    if (skip_blanks) {
      if (is_blank(c)) continue;
      if (!continuation_start && is_eol(c)) continue;
      skip_blanks = false;
      continuation_start = false;
    }
    if (line.empty() && (c == '#' || c == '!')) {
      while (i < text.size() && !is_eol(text[i])) ++i;
      skip_blanks = true;
      continue;
    }
    if (!is_eol(c)) {
      line.push_back(c);
      preceding_backslash = (c == '\\') ? !preceding_backslash : false;
      continue;
    }
    if (line.empty()) {  // an empty continuation ends nothing
      skip_blanks = true;
      continue;
    }
    if (preceding_backslash) {
      line.pop_back();
      skip_blanks = true;
      continuation_start = true;
      preceding_backslash = false;
      if (c == '\r' && i < text.size() && text[i] == '\n') ++i;
      continue;
    }
    lines.push_back(std::move(line));
    line.clear();
    skip_blanks = true;
  }
  if (!line.empty()) {
    if (preceding_backslash) line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::optional<char16_t> read_hex4(std::string_view s, size_t at) {
  if (at + 4 > s.size()) return std::nullopt;
  char16_t v = 0;
  for (size_t k = 0; k < 4; ++k) {
    char c = s[at + k];
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    v = static_cast<char16_t>((v << 4) | d);
  }
  return v;
}

bool is_high_surrogate(char16_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low_surrogate(char16_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

// Properties.loadConvert: resolves escapes. \uXXXX pairs that form a UTF-16
// surrogate pair become one code point; a lone surrogate becomes U+FFFD.
std::optional<std::string> unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i++];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (i >= s.size()) break;  // cannot happen: a trailing odd backslash was removed
    c = s[i++];
    switch (c) {
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'n': out.push_back('\n'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        auto unit = read_hex4(s, i);
        if (!unit) return std::nullopt;
        i += 4;
        char32_t cp = *unit;
        if (is_high_surrogate(*unit) && i + 6 <= s.size() && s[i] == '\\' && s[i + 1] == 'u') {
          auto low = read_hex4(s, i + 2);
          if (low && is_low_surrogate(*low)) {
            cp = 0x10000 + ((static_cast<char32_t>(*unit) - 0xD800) << 10) + (*low - 0xDC00);
            i += 6;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        append_utf8(out, cp);
        break;
      }
      default: out.push_back(c); break;
    }
  }
  return out;
}

}  // namespace

result<properties, config_error> parse_properties(std::string_view text) {
  properties props;
  auto lines = logical_lines(text);
  for (size_t n = 0; n < lines.size(); ++n) {
    std::string_view line = lines[n];
    size_t key_len = 0;
    size_t value_start = line.size();
    bool has_separator = false;
    bool preceding_backslash = false;
    while (key_len < line.size()) {
      char c = line[key_len];
      if ((c == '=' || c == ':') && !preceding_backslash) {
        value_start = key_len + 1;
        has_separator = true;
        break;
      }
      if (is_blank(c) && !preceding_backslash) {
        value_start = key_len + 1;
        break;
      }
      preceding_backslash = (c == '\\') ? !preceding_backslash : false;
      ++key_len;
    }
    while (value_start < line.size()) {
      char c = line[value_start];
      if (!is_blank(c)) {
        if (!has_separator && (c == '=' || c == ':')) has_separator = true;
        else break;
      }
      ++value_start;
    }
    auto key = unescape(line.substr(0, key_len));
    auto value = unescape(line.substr(value_start));
    if (!key || !value) {
      return make_failure(config_problem(
          "", fmt::format("Malformed \\uxxxx encoding in properties entry {} ('{}')", n + 1, line)));
    }
    props.set(std::move(*key), std::move(*value));
  }
  return props;
}

result<properties, config_error> load_properties_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_failure(config_problem("", fmt::format("Cannot read properties file '{}'", path.string())));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return make_failure(config_problem("", fmt::format("Error reading properties file '{}'", path.string())));
  }
  auto parsed = parse_properties(text.str());
  if (!parsed) {
    return make_failure(config_problem("", fmt::format("{}: {}", path.string(), parsed.error().message)));
  }
  return parsed;
}

result<properties::entry, config_error> parse_override(std::string_view arg) {
  size_t eq = arg.find('=');
  std::string_view key = arg.substr(0, eq);
  std::string_view value = eq == std::string_view::npos ? std::string_view{} : arg.substr(eq + 1);
  if (key.empty()) {
    return make_failure(config_problem("", fmt::format("Invalid --override '{}': expected key=value", arg)));
  }
  return properties::entry{std::string(key), std::string(value)};
}

}  // namespace samsa::broker::config
