#include "broker/config/synonyms.h"

#include <array>

namespace samsa::broker::config {

namespace {

// DynamicBrokerConfig.ListenerMechanismConfigs: set per listener and mechanism.
constexpr std::array<std::string_view, 5> listener_mechanism_configs = {
    "sasl.jaas.config", "sasl.login.callback.handler.class", "sasl.login.class",
    "sasl.server.callback.handler.class", "connections.max.reauth.ms"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view listener_mechanism_config(std::string_view base) {
  for (std::string_view m : listener_mechanism_configs) {
    if (ends_with(base, m)) return m;
  }
  return {};
}

std::string_view listener_override_base(std::string_view name) {
  // Kafka's regex: listener\.name\.[^.]*\.(.*)
  constexpr std::string_view prefix = "listener.name.";
  if (name.substr(0, prefix.size()) != prefix) return {};
  std::string_view rest = name.substr(prefix.size());
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return {};
  return rest.substr(dot + 1);
}

std::vector<std::string> broker_config_synonyms(std::string_view name, bool match_listener_override) {
  if (name == "log.roll.ms" || name == "log.roll.hours") return {"log.roll.ms", "log.roll.hours"};
  if (name == "log.roll.jitter.ms" || name == "log.roll.jitter.hours") {
    return {"log.roll.jitter.ms", "log.roll.jitter.hours"};
  }
  if (name == "log.flush.interval.ms") return {"log.flush.interval.ms", "log.flush.scheduler.interval.ms"};
  if (name == "log.retention.ms" || name == "log.retention.minutes" || name == "log.retention.hours") {
    return {"log.retention.ms", "log.retention.minutes", "log.retention.hours"};
  }
  if (match_listener_override) {
    std::string_view base = listener_override_base(name);
    // Kafka's regex needs the listener-name segment to be followed by a dot;
    // "(.*)" may be empty.
    if (name.substr(0, 14) == "listener.name." && name.find('.', 14) != std::string_view::npos) {
      std::string_view mechanism_config = listener_mechanism_config(base);
      return {std::string(name), std::string(mechanism_config.empty() ? base : mechanism_config)};
    }
  }
  return {std::string(name)};
}

}  // namespace samsa::broker::config
