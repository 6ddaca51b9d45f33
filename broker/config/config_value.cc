#include "broker/config/config_value.h"

#include <limits>

#include "broker/config/java_numbers.h"
#include "common/assert.h"

namespace samsa::broker::config {

bool config_value::as_bool() const {
  SAMSA_ASSERT(std::holds_alternative<bool>(v_), "config value is not a BOOLEAN");
  return std::get<bool>(v_);
}
int32_t config_value::as_int() const {
  SAMSA_ASSERT(std::holds_alternative<int32_t>(v_), "config value is not an INT");
  return std::get<int32_t>(v_);
}
int16_t config_value::as_short() const {
  SAMSA_ASSERT(std::holds_alternative<int16_t>(v_), "config value is not a SHORT");
  return std::get<int16_t>(v_);
}
int64_t config_value::as_long() const {
  SAMSA_ASSERT(std::holds_alternative<int64_t>(v_), "config value is not a LONG");
  return std::get<int64_t>(v_);
}
double config_value::as_double() const {
  SAMSA_ASSERT(std::holds_alternative<double>(v_), "config value is not a DOUBLE");
  return std::get<double>(v_);
}
const std::string& config_value::as_string() const {
  SAMSA_ASSERT(std::holds_alternative<std::string>(v_), "config value is not a string");
  return std::get<std::string>(v_);
}
const config_value::list_type& config_value::as_list() const {
  SAMSA_ASSERT(std::holds_alternative<list_type>(v_), "config value is not a LIST");
  return std::get<list_type>(v_);
}

std::optional<double> config_value::as_number() const {
  if (auto* v = std::get_if<int32_t>(&v_)) return *v;
  if (auto* v = std::get_if<int16_t>(&v_)) return *v;
  if (auto* v = std::get_if<int64_t>(&v_)) return static_cast<double>(*v);
  if (auto* v = std::get_if<double>(&v_)) return *v;
  return std::nullopt;
}

std::string config_value::java_string() const {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) return "null";
        else if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
        else if constexpr (std::is_same_v<T, double>) return java_double_string(v);
        else if constexpr (std::is_same_v<T, std::string>) return v;
        else if constexpr (std::is_same_v<T, list_type>) return java_list_string(v);
        else return std::to_string(v);
      },
      v_);
}

std::string_view java_trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}

std::string java_list_string(const config_value::list_type& l) {
  std::string out = "[";
  for (size_t i = 0; i < l.size(); ++i) {
    if (i > 0) out += ", ";
    out += l[i];
  }
  out += ']';
  return out;
}

namespace {

bool is_regex_space(char c) {  // Java regex \s
  return c == ' ' || c == '\t' || c == '\n' || c == '\x0B' || c == '\f' || c == '\r';
}

// trimmed.split("\\s*,\\s*", -1)
config_value::list_type split_list(std::string_view s) {
  config_value::list_type out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    std::string_view piece = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    // Whitespace next to a comma belongs to the separator.
    if (start > 0) {
      while (!piece.empty() && is_regex_space(piece.front())) piece.remove_prefix(1);
    }
    if (comma != std::string_view::npos) {
      while (!piece.empty() && is_regex_space(piece.back())) piece.remove_suffix(1);
    }
    out.emplace_back(piece);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

result<config_value, config_error> not_a_number(std::string_view name, std::string_view raw, config_type type) {
  return make_failure(invalid_value(name, raw, fmt::format("Not a number of type {}", kafka_type_name(type))));
}

}  // namespace

result<config_value, config_error> parse_value(std::string_view name, config_type type, std::string_view raw) {
  std::string_view trimmed = java_trim(raw);
  switch (type) {
    case config_type::boolean: {
      auto lower = [](std::string_view s, std::string_view word) {
        if (s.size() != word.size()) return false;
        for (size_t i = 0; i < s.size(); ++i) {
          char c = s[i];
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
          if (c != word[i]) return false;
        }
        return true;
      };
      if (lower(trimmed, "true")) return config_value::of_bool(true);
      if (lower(trimmed, "false")) return config_value::of_bool(false);
      return make_failure(invalid_value(name, raw, "Expected value to be either true or false"));
    }
    case config_type::string:
    case config_type::password:
    case config_type::class_name:
      return config_value::of_string(std::string(trimmed));
    case config_type::int32: {
      auto v = java_parse_integer(trimmed, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
      if (!v) return not_a_number(name, raw, type);
      return config_value::of_int(static_cast<int32_t>(*v));
    }
    case config_type::int16: {
      auto v = java_parse_integer(trimmed, std::numeric_limits<int16_t>::min(), std::numeric_limits<int16_t>::max());
      if (!v) return not_a_number(name, raw, type);
      return config_value::of_short(static_cast<int16_t>(*v));
    }
    case config_type::int64: {
      auto v = java_parse_integer(trimmed, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
      if (!v) return not_a_number(name, raw, type);
      return config_value::of_long(*v);
    }
    case config_type::float64: {
      auto v = java_parse_double(trimmed);
      if (!v) return not_a_number(name, raw, type);
      return config_value::of_double(*v);
    }
    case config_type::list:
      if (trimmed.empty()) return config_value::of_list({});
      return config_value::of_list(split_list(trimmed));
  }
  SAMSA_UNREACHABLE("unknown config_type");
}

std::optional<std::string> to_kafka_string(const config_value& value, config_type type) {
  if (value.is_null()) return std::nullopt;
  switch (type) {
    case config_type::boolean: return value.as_bool() ? "true" : "false";
    case config_type::int32: return std::to_string(value.as_int());
    case config_type::int16: return std::to_string(value.as_short());
    case config_type::int64: return std::to_string(value.as_long());
    case config_type::float64: return java_double_string(value.as_double());
    case config_type::string:
    case config_type::password:
    case config_type::class_name: return value.as_string();
    case config_type::list: {
      std::string out;
      const auto& l = value.as_list();
      for (size_t i = 0; i < l.size(); ++i) {
        if (i > 0) out += ',';
        out += l[i];
      }
      return out;
    }
  }
  SAMSA_UNREACHABLE("unknown config_type");
}

}  // namespace samsa::broker::config
