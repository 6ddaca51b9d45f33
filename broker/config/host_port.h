#pragma once

// "host:port" as Kafka's Utils.getHost / getPort read it: an optional scheme
// prefix ("x://"), an optional [bracketed] IPv6 host, the port after the last
// colon. Hosts may be empty (all interfaces) and may only hold
// [0-9a-zA-Z-%._:] (Utils.validHostPattern).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace samsa::broker::config {

struct host_port {
  std::string host;  // without brackets; empty = unspecified
  int32_t port = 0;
};

std::optional<host_port> parse_host_port(std::string_view s);

// Utils.validHostPattern.
bool valid_host_pattern(std::string_view host);

}  // namespace samsa::broker::config
