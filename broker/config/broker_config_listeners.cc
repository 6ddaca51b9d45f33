// Listener derivation and checks of broker_config, after Kafka's KafkaConfig:
// effectiveListenerSecurityProtocolMap, listeners, effectiveAdvertisedBrokerListeners,
// getInterBrokerListenerNameAndSecurityProtocol and the listener part of
// validateValues. Messages keep Kafka's wording.

#include <algorithm>
#include <set>

#include "broker/config/broker_config_builder.h"

namespace samsa::broker::config {

namespace {

bool is_ssl_or_sasl(std::string_view name) { return name == "SSL" || name == "SASL_SSL" || name == "SASL_PLAINTEXT"; }

std::vector<std::string> split_names(const std::optional<std::string>& value) {
  // KafkaConfig.controllerListenerNames: value.split(",") (no trimming).
  std::vector<std::string> out;
  if (!value || value->empty()) return out;
  size_t start = 0;
  while (true) {
    size_t comma = value->find(',', start);
    out.push_back(value->substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string joined_names(const std::vector<endpoint>& endpoints) {
  std::set<std::string> names;
  for (const auto& e : endpoints) names.insert(e.listener_name);
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

bool contains_name(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// KRaft adds PLAINTEXT mappings for controller listeners when the map was not
// configured and no listener or controller name is an SSL/SASL protocol name.
security_protocol_map effective_protocol_map(const broker_config& c, security_protocol_map configured) {
  if (c.originals().contains("listener.security.protocol.map")) return configured;
  const auto& controller_names = c.controller_listener_names();
  bool secure = std::any_of(controller_names.begin(), controller_names.end(), is_ssl_or_sasl);
  std::string_view listeners_value = c.get_string("listeners");
  size_t start = 0;
  while (!secure && start <= listeners_value.size()) {
    size_t comma = listeners_value.find(',', start);
    auto name = parse_listener_name(
        java_trim(listeners_value.substr(start, comma == std::string_view::npos ? listeners_value.npos : comma - start)));
    if (name && is_ssl_or_sasl(*name)) secure = true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (secure) return configured;
  for (const auto& name : controller_names) {
    if (name == "PLAINTEXT") continue;
    auto it = std::find_if(configured.begin(), configured.end(), [&](const auto& e) { return e.first == name; });
    if (it != configured.end()) it->second = security_protocol::plaintext;
    else configured.emplace_back(name, security_protocol::plaintext);
  }
  return configured;
}

// inter.broker.listener.name, else the listener named after
// security.inter.broker.protocol; setting both is an error.
std::optional<config_error> derive_inter_broker_listener(const broker_config& c, std::string& name_out,
                                                         security_protocol& protocol_out) {
  if (auto name = c.get_optional_string("inter.broker.listener.name")) {
    if (c.originals().contains("security.inter.broker.protocol")) {
      return config_problem("inter.broker.listener.name",
                            "Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.");
    }
    if (java_trim(*name).empty()) {
      return config_problem("inter.broker.listener.name", "The provided listener name is null or empty string");
    }
    name_out = normalise_listener_name(*name);
    auto protocol = find_protocol(c.security_protocols(), name_out);
    if (!protocol) {
      return config_problem("inter.broker.listener.name",
                            fmt::format("Listener with name {} defined in inter.broker.listener.name not found in "
                                        "listener.security.protocol.map.",
                                        name_out));
    }
    protocol_out = *protocol;
    return std::nullopt;
  }
  // The validator already limited the value to the protocol names.
  protocol_out = *parse_security_protocol(c.get_string("security.inter.broker.protocol"));
  name_out = std::string(security_protocol_name(protocol_out));
  return std::nullopt;
}

// Broker listeners must be advertised, include the inter-broker listener, be
// a subset of the listeners, and not advertise the wildcard address.
std::optional<config_error> check_advertised(const broker_config& c) {
  const auto& advertised = c.advertised_listeners();
  const auto& listeners = c.listeners();
  if (advertised.empty()) {
    return config_problem("advertised.listeners",
                          "There must be at least one broker advertised listener. Perhaps all listeners appear in "
                          "controller.listener.names?");
  }
  bool inter_broker_advertised = std::any_of(advertised.begin(), advertised.end(), [&](const endpoint& e) {
    return e.listener_name == c.inter_broker_listener_name();
  });
  if (!inter_broker_advertised) {
    return config_problem("inter.broker.listener.name",
                          fmt::format("inter.broker.listener.name must be a listener name defined in "
                                      "advertised.listeners. The valid options based on currently configured "
                                      "listeners are {}",
                                      joined_names(advertised)));
  }
  for (const auto& e : advertised) {
    bool listed = std::any_of(listeners.begin(), listeners.end(),
                              [&](const endpoint& l) { return l.listener_name == e.listener_name; });
    if (!listed) {
      return config_problem("advertised.listeners",
                            fmt::format("advertised.listeners listener names must be equal to or a subset of the ones "
                                        "defined in listeners. Found {}. The valid options based on the current "
                                        "configuration are {}",
                                        joined_names(advertised), joined_names(listeners)));
    }
    if (e.host == "0.0.0.0") {
      return config_problem("advertised.listeners",
                            "advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP "
                            "address.");
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<config_error> broker_config_builder::derive_listeners(broker_config& c) {
  c.controller_listener_names_ = split_names(c.get_optional_string("controller.listener.names"));

  auto configured = parse_security_protocol_map(c.get_string("listener.security.protocol.map"));
  if (!configured) return configured.error();
  c.security_protocols_ = effective_protocol_map(c, std::move(configured).value());

  auto listeners = parse_listeners("listeners", c.get_string("listeners"), c.security_protocols_, true);
  if (!listeners) return listeners.error();
  c.listeners_ = std::move(listeners).value();

  std::vector<endpoint> advertised = c.listeners_;
  if (auto value = c.get_optional_string("advertised.listeners")) {
    auto parsed = parse_listeners("advertised.listeners", *value, c.security_protocols_, false);
    if (!parsed) return parsed.error();
    advertised = std::move(parsed).value();
  }
  const auto& controller_names = c.controller_listener_names_;
  std::erase_if(advertised, [&](const endpoint& e) { return contains_name(controller_names, e.listener_name); });
  c.advertised_listeners_ = std::move(advertised);

  // Controller listener names must name listeners of this (combined) node.
  for (const auto& name : controller_names) {
    bool found = std::any_of(c.listeners_.begin(), c.listeners_.end(),
                             [&](const endpoint& e) { return e.listener_name == name; });
    if (!found) {
      return config_problem("controller.listener.names",
                            "controller.listener.names must only contain values appearing in the 'listeners' "
                            "configuration when running the KRaft controller role");
    }
  }
  if (auto err = derive_inter_broker_listener(c, c.inter_broker_listener_name_, c.inter_broker_security_protocol_)) {
    return err;
  }
  return check_advertised(c);
}

}  // namespace samsa::broker::config
