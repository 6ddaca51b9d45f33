#pragma once

// Listener endpoints and the listener-to-security-protocol map, parsed and
// checked as Kafka does (SocketServerConfigs.listenerListToEndPoints,
// CoreUtils.listenerListToEndPoints, KafkaConfig.effectiveListenerSecurityProtocolMap):
//  - an endpoint is NAME://host:port, the host optionally in [brackets] for
//    IPv6; an empty host means all interfaces;
//  - listener names are case-insensitive and normalised to upper case;
//  - every listener name must be mapped in listener.security.protocol.map;
//  - names must be unique; ports must be unique (port 0 excepted) unless the
//    two listeners sharing a port are on an IPv4 and an IPv6 address.
// Samsa also refuses ports outside [0, 65535] here, where Kafka would fail
// later when binding.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/config/config_error.h"
#include "broker/config/result.h"

namespace samsa::broker::config {

// org.apache.kafka.common.security.auth.SecurityProtocol.
enum class security_protocol : uint8_t { plaintext, ssl, sasl_plaintext, sasl_ssl };

std::string_view security_protocol_name(security_protocol p);  // "PLAINTEXT", ...
// SecurityProtocol.forName: case-insensitive.
std::optional<security_protocol> parse_security_protocol(std::string_view name);

// Normalised listener name -> protocol, in the order written.
using security_protocol_map = std::vector<std::pair<std::string, security_protocol>>;

std::optional<security_protocol> find_protocol(const security_protocol_map& map, std::string_view listener_name);

struct endpoint {
  std::string listener_name;  // normalised (upper case)
  std::string host;           // empty: all interfaces (Kafka's null host)
  int32_t port = 0;
  security_protocol protocol = security_protocol::plaintext;

  // EndPoint.connectionString: "NAME://host:port", "NAME://:port", "NAME://[::1]:port".
  std::string connection_string() const;
  bool operator==(const endpoint&) const = default;
};

// listener.security.protocol.map ("NAME:PROTOCOL,...").
result<security_protocol_map, config_error> parse_security_protocol_map(std::string_view value);

// `config_name` is "listeners" or "advertised.listeners" (it names the key in
// errors); advertised listeners may share ports (require_distinct_ports=false).
result<std::vector<endpoint>, config_error> parse_listeners(std::string_view config_name, std::string_view value,
                                                            const security_protocol_map& protocols,
                                                            bool require_distinct_ports);

// EndPoint.parseListenerName: the part before the first ':' upper-cased, or
// nullopt when there is no ':'.
std::optional<std::string> parse_listener_name(std::string_view listener);

std::string normalise_listener_name(std::string_view name);

}  // namespace samsa::broker::config
