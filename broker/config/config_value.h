#pragma once

// A parsed configuration value and the rules that turn text into one, kept
// identical to Kafka's ConfigDef.parseType / convertToString:
//  - every value is trimmed first (Java String.trim: all chars <= ' ');
//  - BOOLEAN is "true" or "false", case-insensitive, nothing else;
//  - INT / SHORT / LONG are decimal with an optional sign and must fit the type;
//  - DOUBLE is Java's Double.parseDouble syntax (with NaN and Infinity);
//  - LIST splits on commas with surrounding whitespace removed; "" is the empty
//    list and empty elements are kept ("a,,b" has three);
//  - STRING, PASSWORD and CLASS keep the trimmed text (Samsa cannot load Java
//    classes, so a CLASS value is only a name).
// Errors carry Kafka's message, e.g. "Invalid value x for configuration
// num.io.threads: Not a number of type INT".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "broker/config/config_error.h"
#include "broker/config/config_types.h"
#include "broker/config/result.h"

namespace samsa::broker::config {

class config_value {
 public:
  using list_type = std::vector<std::string>;

  config_value() = default;  // null: Kafka's "no value" (a null default, or unset)
  static config_value of_bool(bool v) { return config_value(v); }
  static config_value of_int(int32_t v) { return config_value(v); }
  static config_value of_short(int16_t v) { return config_value(v); }
  static config_value of_long(int64_t v) { return config_value(v); }
  static config_value of_double(double v) { return config_value(v); }
  static config_value of_string(std::string v) { return config_value(std::move(v)); }
  static config_value of_list(list_type v) { return config_value(std::move(v)); }

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }

  // Preconditions: the value holds that alternative (checked; a mismatch is a
  // programming error in the caller's idea of the config's type).
  bool as_bool() const;
  int32_t as_int() const;
  int16_t as_short() const;
  int64_t as_long() const;
  double as_double() const;
  const std::string& as_string() const;
  const list_type& as_list() const;

  // Java's toString of the boxed value, as Kafka's messages print it: "5",
  // "2.0", "true", "[a, b]", "null".
  std::string java_string() const;

  // Any integral or floating alternative as a double (for range checks).
  std::optional<double> as_number() const;

  bool operator==(const config_value&) const = default;

 private:
  using storage = std::variant<std::monostate, bool, int32_t, int16_t, int64_t, double, std::string, list_type>;
  template <typename T>
  explicit config_value(T v) : v_(std::move(v)) {}
  storage v_;
};

// ConfigDef.parseType for one key. `raw` is the text as supplied (the error
// message quotes it untrimmed, as Kafka does).
result<config_value, config_error> parse_value(std::string_view name, config_type type, std::string_view raw);

// ConfigDef.convertToString: the text DescribeConfigs reports. Null stays
// nullopt. Passwords come back in clear; callers decide what is sensitive.
std::optional<std::string> to_kafka_string(const config_value& value, config_type type);

// Java String.trim().
std::string_view java_trim(std::string_view s);

// Java's List<String>.toString(): "[a, b]".
std::string java_list_string(const config_value::list_type& l);

}  // namespace samsa::broker::config
