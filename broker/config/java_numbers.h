#pragma once

// Number syntax and formatting as the JVM does them, because Kafka's config
// parsing and DescribeConfigs output are defined by Integer.parseInt,
// Long.parseLong, Double.parseDouble and Double.toString.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace samsa::broker::config {

// Long.parseLong / Integer.parseInt / Short.parseShort on ASCII input: an
// optional '+' or '-', then at least one decimal digit, within [min, max].
std::optional<int64_t> java_parse_integer(std::string_view s, int64_t min, int64_t max);

// Double.parseDouble for decimal input: optional sign; digits with an optional
// '.', at least one digit; optional exponent; optional f/F/d/D suffix; or
// "NaN" / "Infinity". Hexadecimal floating literals are not accepted.
std::optional<double> java_parse_double(std::string_view s);

// Double.toString: "0.5", "100.0", "1.0E7", "1.7976931348623157E308", "NaN".
std::string java_double_string(double d);

// Number.toString for a range bound that Kafka wrote as an int or long
// literal: integral values print without ".0".
std::string java_bound_string(double d);

}  // namespace samsa::broker::config
