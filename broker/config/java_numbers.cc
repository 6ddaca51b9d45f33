#include "broker/config/java_numbers.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace samsa::broker::config {

std::optional<int64_t> java_parse_integer(std::string_view s, int64_t min, int64_t max) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return std::nullopt;
  // Accumulate as a negative number so that INT64_MIN fits.
  int64_t acc = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return std::nullopt;
    int digit = c - '0';
    if (acc < (std::numeric_limits<int64_t>::min() + digit) / 10) return std::nullopt;
    acc = acc * 10 - digit;
  }
  if (!negative) {
    if (acc == std::numeric_limits<int64_t>::min()) return std::nullopt;
    acc = -acc;
  }
  if (acc < min || acc > max) return std::nullopt;
  return acc;
}

std::optional<double> java_parse_double(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
  }
  std::string_view body = s.substr(i);
  if (body == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (body == "Infinity") {
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  if (!body.empty() && (body.back() == 'f' || body.back() == 'F' || body.back() == 'd' || body.back() == 'D')) {
    body.remove_suffix(1);
  }
  // Validate the shape ourselves: from_chars also takes "inf", "nan" and hex
  // forms that Java rejects here.
  size_t k = 0;
  size_t digits = 0;
  while (k < body.size() && body[k] >= '0' && body[k] <= '9') ++k, ++digits;
  if (k < body.size() && body[k] == '.') {
    ++k;
    while (k < body.size() && body[k] >= '0' && body[k] <= '9') ++k, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (k < body.size() && (body[k] == 'e' || body[k] == 'E')) {
    ++k;
    if (k < body.size() && (body[k] == '+' || body[k] == '-')) ++k;
    size_t exp_digits = 0;
    while (k < body.size() && body[k] >= '0' && body[k] <= '9') ++k, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (k != body.size()) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // Java rounds overflow to infinity and underflow to zero instead of failing.
    bool big = false;
    for (char c : body) {
      if (c == 'e' || c == 'E') break;
      if (c >= '1' && c <= '9') big = true;
    }
    size_t e = body.find_first_of("eE");
    bool negative_exponent = e != std::string_view::npos && e + 1 < body.size() && body[e + 1] == '-';
    value = (big && !negative_exponent) ? std::numeric_limits<double>::infinity() : 0.0;
  } else if (ec != std::errc() || ptr != body.data() + body.size()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

std::string java_double_string(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";

  // Shortest round-trip digits, then laid out the way Double.toString does.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(end - buf));  // e.g. "-1.2345e+07"
  std::string out;
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = std::stoi(std::string(sci.substr(e_pos + 1)));

  double magnitude = std::fabs(d);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      size_t int_len = static_cast<size_t>(exponent) + 1;
      if (digits.size() <= int_len) {
        out += digits;
        out.append(int_len - digits.size(), '0');
        out += ".0";
      } else {
        out += digits.substr(0, int_len);
        out += '.';
        out += digits.substr(int_len);
      }
    } else {
      out += "0.";
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out += digits;
    }
    return out;
  }
  out += digits[0];
  out += '.';
  out += digits.size() > 1 ? digits.substr(1) : "0";
  out += 'E';
  out += std::to_string(exponent);
  return out;
}

std::string java_bound_string(double d) {
  if (std::trunc(d) == d && std::fabs(d) < 9.2e18) return std::to_string(static_cast<int64_t>(d));
  return java_double_string(d);
}

}  // namespace samsa::broker::config
