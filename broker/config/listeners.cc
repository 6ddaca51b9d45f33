#include "broker/config/listeners.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "broker/config/config_value.h"
#include "broker/config/host_port.h"
#include "broker/config/java_numbers.h"

namespace samsa::broker::config {

namespace {

bool is_ipv4(const std::string& host) {
  in_addr a{};
  return inet_pton(AF_INET, host.c_str(), &a) == 1;
}
bool is_ipv6(const std::string& host) {
  in6_addr a{};
  return inet_pton(AF_INET6, host.c_str(), &a) == 1;
}

bool is_regex_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\x0B' || c == '\f' || c == '\r';
}

// Csv.parseCsvList without the empty-string filter: split on \s*,\s*.
std::vector<std::string_view> split_csv(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    std::string_view piece = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (start > 0) {
      while (!piece.empty() && is_regex_space(piece.front())) piece.remove_prefix(1);
    }
    if (comma != std::string_view::npos) {
      while (!piece.empty() && is_regex_space(piece.back())) piece.remove_suffix(1);
    }
    out.push_back(piece);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

constexpr std::string_view protocol_names[] = {"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"};

// SocketServerConfigs' URI_PARSE_REGEXP: ^(.*)://\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+), matched whole.
struct raw_endpoint {
  std::string_view name;
  std::string_view host;
  std::string_view port;
};
std::optional<raw_endpoint> match_endpoint(std::string_view entry) {
  size_t sep = entry.rfind("://");  // (.*) is greedy: the last "://"
  while (sep != std::string_view::npos) {
    std::string_view rest = entry.substr(sep + 3);
    size_t colon = rest.rfind(':');
    if (colon != std::string_view::npos) {
      std::string_view host = rest.substr(0, colon);
      std::string_view port = rest.substr(colon + 1);
      if (!host.empty() && host.front() == '[') host.remove_prefix(1);
      if (!host.empty() && host.back() == ']') host.remove_suffix(1);
      std::string_view digits = !port.empty() && port.front() == '-' ? port.substr(1) : port;
      bool port_ok = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
        return c >= '0' && c <= '9';
      });
      if (port_ok && valid_host_pattern(host)) return raw_endpoint{entry.substr(0, sep), host, port};
    }
    if (sep == 0) break;
    sep = entry.rfind("://", sep - 1);
  }
  return std::nullopt;
}

config_error listener_error(std::string_view config_name, std::string_view value, std::string_view why) {
  return config_problem(config_name, fmt::format("Error creating broker listeners from '{}': {}", value, why));
}

std::optional<config_error> check_ports(std::string_view config_name, std::string_view value,
                                        const std::vector<endpoint>& endpoints, bool require_distinct_ports) {
  std::map<int32_t, std::vector<const endpoint*>> by_port;
  for (const auto& e : endpoints) {
    if (e.port != 0) by_port[e.port].push_back(&e);
  }
  for (const auto& [port, group] : by_port) {
    if (group.size() < 2) continue;
    std::vector<const endpoint*> with_ip;
    std::vector<const endpoint*> without_ip;
    for (const endpoint* e : group) {
      (!e->host.empty() && (is_ipv4(e->host) || is_ipv6(e->host)) ? with_ip : without_ip).push_back(e);
    }
    if (require_distinct_ports && without_ip.size() > 1) {
      return config_problem(config_name, fmt::format("Each listener must have a different port, listeners: {}", value));
    }
    if (with_ip.empty() || !require_distinct_ports) continue;
    if (with_ip.size() == 2) {
      bool mixed = (is_ipv4(with_ip[0]->host) && is_ipv6(with_ip[1]->host)) ||
                   (is_ipv6(with_ip[0]->host) && is_ipv4(with_ip[1]->host));
      if (!mixed || !without_ip.empty()) {
        return config_problem(config_name, fmt::format("If you have two listeners on the same port then one needs to "
                                                       "be IPv4 and the other IPv6, listeners: {}, port: {}",
                                                       value, port));
      }
    } else {  // one IP listener sharing the port with a host name, or three and more
      return config_problem(config_name,
                            fmt::format("Each listener must have a different port unless exactly one listener has an "
                                        "IPv4 address and the other IPv6 address, listeners: {}, port: {}",
                                        value, port));
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view security_protocol_name(security_protocol p) { return protocol_names[static_cast<size_t>(p)]; }

std::optional<security_protocol> parse_security_protocol(std::string_view name) {
  std::string upper = normalise_listener_name(name);
  for (size_t i = 0; i < std::size(protocol_names); ++i) {
    if (upper == protocol_names[i]) return static_cast<security_protocol>(i);
  }
  return std::nullopt;
}

std::optional<security_protocol> find_protocol(const security_protocol_map& map, std::string_view listener_name) {
  for (const auto& [name, protocol] : map) {
    if (name == listener_name) return protocol;
  }
  return std::nullopt;
}

std::string normalise_listener_name(std::string_view name) {
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

std::optional<std::string> parse_listener_name(std::string_view listener) {
  size_t colon = listener.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return normalise_listener_name(listener.substr(0, colon));
}

std::string endpoint::connection_string() const {
  if (host.empty()) return fmt::format("{}://:{}", listener_name, port);
  if (host.find(':') != std::string::npos) return fmt::format("{}://[{}]:{}", listener_name, host, port);
  return fmt::format("{}://{}:{}", listener_name, host, port);
}

result<security_protocol_map, config_error> parse_security_protocol_map(std::string_view value) {
  constexpr std::string_view key = "listener.security.protocol.map";
  security_protocol_map map;
  if (value.empty()) return map;
  for (std::string_view pair : split_csv(value)) {
    size_t colon = pair.rfind(':');
    if (colon == std::string_view::npos) {
      return make_failure(config_problem(
          key, fmt::format("Error parsing configuration property '{}': entry '{}' is not NAME:PROTOCOL", key, pair)));
    }
    std::string_view name = java_trim(pair.substr(0, colon));
    std::string_view protocol_name = java_trim(pair.substr(colon + 1));
    if (name.empty()) {
      return make_failure(config_problem(key, "The provided listener name is null or empty string"));
    }
    auto protocol = parse_security_protocol(protocol_name);
    if (!protocol) {
      return make_failure(
          config_problem(key, fmt::format("Invalid security protocol `{}` defined in {}", protocol_name, key)));
    }
    std::string normalised = normalise_listener_name(name);
    auto existing = std::find_if(map.begin(), map.end(), [&](const auto& e) { return e.first == normalised; });
    if (existing != map.end()) existing->second = *protocol;
    else map.emplace_back(std::move(normalised), *protocol);
  }
  return map;
}

result<std::vector<endpoint>, config_error> parse_listeners(std::string_view config_name, std::string_view value,
                                                            const security_protocol_map& protocols,
                                                            bool require_distinct_ports) {
  std::vector<endpoint> endpoints;
  std::string_view trimmed = java_trim(value);
  if (!trimmed.empty()) {
    for (std::string_view entry : split_csv(trimmed)) {
      if (entry.empty()) continue;  // Csv.parseCsvList drops empty entries
      auto raw = match_endpoint(entry);
      if (!raw) {
        return make_failure(
            listener_error(config_name, value, fmt::format("Unable to parse {} to a broker endpoint", entry)));
      }
      if (java_trim(raw->name).empty()) {
        return make_failure(listener_error(config_name, value, "The provided listener name is null or empty string"));
      }
      std::string name = normalise_listener_name(raw->name);
      auto port = java_parse_integer(raw->port, -2147483648LL, 2147483647LL);
      if (!port) {
        return make_failure(listener_error(config_name, value, fmt::format("For input string: \"{}\"", raw->port)));
      }
      if (*port < 0 || *port > 65535) {
        return make_failure(listener_error(
            config_name, value, fmt::format("port {} of listener {} is outside [0, 65535]", *port, name)));
      }
      auto protocol = find_protocol(protocols, name);
      if (!protocol) {
        return make_failure(
            listener_error(config_name, value, fmt::format("No security protocol defined for listener {}", name)));
      }
      endpoints.push_back(endpoint{std::move(name), std::string(raw->host), static_cast<int32_t>(*port), *protocol});
    }
  }
  for (size_t i = 0; i < endpoints.size(); ++i) {
    for (size_t j = i + 1; j < endpoints.size(); ++j) {
      if (endpoints[i].listener_name == endpoints[j].listener_name) {
        return make_failure(
            config_problem(config_name, fmt::format("Each listener must have a different name, listeners: {}", value)));
      }
    }
  }
  if (auto err = check_ports(config_name, value, endpoints, require_distinct_ports)) return make_failure(*err);
  return endpoints;
}

}  // namespace samsa::broker::config
