// SubscribedTopicRegex compilation and matching (see topic_regex.h).
#include "broker/groups/topic_regex.h"

namespace samsa::broker::groups {
namespace {

// RE2/J's descriptions (com.google.re2j.Parser ERR_*).
constexpr const char* kMissingParen = "missing closing )";
constexpr const char* kMissingBracket = "missing closing ]";
constexpr const char* kInvalidRepeatSize = "invalid repeat count";
constexpr const char* kMissingRepeatArgument = "missing argument to repetition operator";
constexpr const char* kInvalidEscape = "invalid escape sequence";
constexpr const char* kInvalidCharRange = "invalid character class range";
constexpr const char* kInvalidCharClass = "invalid character class";
constexpr const char* kInvalidRepeatOp = "invalid nested repetition operator";
constexpr const char* kInvalidPerlOp = "invalid or unsupported Perl syntax";
constexpr const char* kTrailingBackslash = "trailing backslash at end of expression";

std::string describe(std::regex_constants::error_type e) {
  using namespace std::regex_constants;
  switch (e) {
    case error_paren: return kMissingParen;
    case error_brack: return kMissingBracket;
    case error_brace:
    case error_badbrace: return kInvalidRepeatSize;
    case error_badrepeat: return kMissingRepeatArgument;
    case error_escape:
    case error_backref: return kInvalidEscape;
    case error_range: return kInvalidCharRange;
    case error_ctype:
    case error_collate: return kInvalidCharClass;
    default: return kInvalidPerlOp;
  }
}

// The structural errors RE2/J reports, in its words, and the ECMAScript
// constructs RE2 does not have (look-around, back-references). libstdc++'s
// error codes are too coarse to tell these apart, so the pattern is scanned
// first; std::regex reports what remains.
std::optional<std::string> re2_syntax_error(const std::string& p) {
  int depth = 0;
  bool can_repeat = false;   // the previous token is an atom a repetition may follow
  bool after_repeat = false;  // the previous token is a repetition
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size()) return std::string(kTrailingBackslash);
      const char n = p[i + 1];
      if (n >= '1' && n <= '9') return std::string(kInvalidEscape);  // a back-reference
      ++i;
      can_repeat = true;
      after_repeat = false;
      continue;
    }
    if (c == '[') {
      size_t j = i + 1;
      if (j < p.size() && p[j] == '^') ++j;
      if (j < p.size() && p[j] == ']') ++j;  // a leading ] is a literal
      int prev = -1;  // the previous literal of the class, for ranges
      for (; j < p.size() && p[j] != ']'; ++j) {
        if (p[j] == '\\') {
          if (j + 1 >= p.size()) return std::string(kMissingBracket);
          ++j;
          prev = -1;
          continue;
        }
        if (p[j] == '[' && j + 1 < p.size() && p[j + 1] == ':') {  // [:alpha:]
          const size_t close = p.find(":]", j + 2);
          if (close == std::string::npos) return std::string(kMissingBracket);
          j = close + 1;
          prev = -1;
          continue;
        }
        if (p[j] == '-' && prev >= 0 && j + 1 < p.size() && p[j + 1] != ']') {
          int hi = static_cast<unsigned char>(p[j + 1]);
          if (p[j + 1] == '\\') hi = -1;
          if (hi >= 0 && hi < prev) return std::string(kInvalidCharRange);
          ++j;
          prev = -1;
          continue;
        }
        prev = static_cast<unsigned char>(p[j]);
      }
      if (j >= p.size()) return std::string(kMissingBracket);
      i = j;
      can_repeat = true;
      after_repeat = false;
      continue;
    }
    if (c == '(') {
      if (i + 2 < p.size() && p[i + 1] == '?') {
        const char k = p[i + 2];
        if (k == '=' || k == '!') return std::string(kInvalidPerlOp);
        if (k == '<' && i + 3 < p.size() && (p[i + 3] == '=' || p[i + 3] == '!')) return std::string(kInvalidPerlOp);
        if (k == ':') i += 2;  // a non-capturing group (?:re): its "?" repeats nothing
      }
      ++depth;
      can_repeat = false;
      after_repeat = false;
      continue;
    }
    if (c == ')') {
      if (depth == 0) return std::string(kMissingParen);
      --depth;
      can_repeat = true;
      after_repeat = false;
      continue;
    }
    if (c == '|') {
      can_repeat = false;
      after_repeat = false;
      continue;
    }
    if (c == '*' || c == '+' || c == '?' || c == '{') {
      if (c == '{') {
        // {n}, {n,} or {n,m}; anything else is a literal brace in RE2.
        const size_t close = p.find('}', i);
        const std::string body = close == std::string::npos ? "" : p.substr(i + 1, close - i - 1);
        const size_t comma = body.find(',');
        const std::string lo = body.substr(0, comma);
        const std::string hi = comma == std::string::npos ? lo : body.substr(comma + 1);
        auto digits = [](const std::string& d) {
          return !d.empty() && d.size() < 9 && d.find_first_not_of("0123456789") == std::string::npos;
        };
        if (!digits(lo) || (!hi.empty() && !digits(hi))) {
          can_repeat = true;
          after_repeat = false;
          continue;
        }
        if (!can_repeat) return std::string(kMissingRepeatArgument);
        if (after_repeat) return std::string(kInvalidRepeatOp);
        const long l = std::stol(lo);
        const long h = hi.empty() ? -1 : std::stol(hi);
        if (l > 1000 || h > 1000 || (h >= 0 && h < l)) return std::string(kInvalidRepeatSize);
        i = close;
        after_repeat = true;
        continue;
      }
      if (c == '?' && after_repeat && i > 0 && p[i - 1] != '?') {  // a lazy repetition: *? +? ??
        after_repeat = true;
        continue;
      }
      if (!can_repeat) return std::string(kMissingRepeatArgument);
      if (after_repeat) return std::string(kInvalidRepeatOp);
      after_repeat = true;
      continue;
    }
    can_repeat = c != '^' && c != '$';
    after_repeat = false;
  }
  if (depth > 0) return std::string(kMissingParen);
  return std::nullopt;
}

}  // namespace

topic_regex::compiled topic_regex::compile(const std::string& pattern) {
  compiled out;
  std::string body = pattern;
  auto flags = std::regex::ECMAScript | std::regex::optimize;
  if (body.rfind("(?i)", 0) == 0) {  // RE2's case-insensitive flag group, leading only
    body = body.substr(4);
    flags |= std::regex::icase;
  }
  if (auto e = re2_syntax_error(body)) {
    out.error = *e;
    return out;
  }
  try {
    topic_regex r;
    r.re_ = std::regex(body, flags);
    out.regex = std::move(r);
  } catch (const std::regex_error& e) {
    out.error = describe(e.code());
  }
  return out;
}

bool topic_regex::matches(const std::string& topic) const {
  try {
    return std::regex_match(topic, re_);
  } catch (const std::regex_error&) {  // error_complexity / error_stack: no match
    return false;
  }
}

std::optional<std::string> invalid_topic_regex_message(const std::string& pattern) {
  auto c = topic_regex::compile(pattern);
  if (c.regex) return std::nullopt;
  return "SubscribedTopicRegex `" + pattern + "` is not a valid regular expression: " + c.error + ".";
}

std::set<std::string> resolve_topic_regex(const std::string& pattern, const std::vector<std::string>& names) {
  std::set<std::string> out;
  auto c = topic_regex::compile(pattern);
  if (!c.regex) return out;
  for (const auto& n : names)
    if (c.regex->matches(n)) out.insert(n);
  return out;
}

}  // namespace samsa::broker::groups
