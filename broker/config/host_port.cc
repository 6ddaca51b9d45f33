#include "broker/config/host_port.h"

#include <limits>

#include "broker/config/java_numbers.h"

namespace samsa::broker::config {

namespace {
bool host_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '%' ||
         c == '.' || c == '_' || c == ':';
}
}  // namespace

bool valid_host_pattern(std::string_view host) {
  for (char c : host) {
    if (!host_char(c)) return false;
  }
  return true;
}

std::optional<host_port> parse_host_port(std::string_view s) {
  // Optional "scheme://" whose scheme uses the host characters minus ':'.
  size_t scheme = s.find("://");
  if (scheme != std::string_view::npos) {
    std::string_view prefix = s.substr(0, scheme);
    bool ok = prefix.find(':') == std::string_view::npos && valid_host_pattern(prefix);
    if (ok) s.remove_prefix(scheme + 3);
  }
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = s.substr(0, colon);
  std::string_view port = s.substr(colon + 1);
  if (!host.empty() && host.front() == '[') host.remove_prefix(1);
  if (!host.empty() && host.back() == ']') host.remove_suffix(1);
  if (!valid_host_pattern(host) || port.empty()) return std::nullopt;
  for (char c : port) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  auto p = java_parse_integer(port, 0, std::numeric_limits<int32_t>::max());
  if (!p) return std::nullopt;
  return host_port{std::string(host), static_cast<int32_t>(*p)};
}

}  // namespace samsa::broker::config
