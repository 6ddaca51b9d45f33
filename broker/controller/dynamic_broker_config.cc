#include "broker/controller/dynamic_broker_config.h"

#include <algorithm>
#include <array>
#include <set>

#include "broker/config/broker_config_defs.h"
#include "broker/config/parse_config.h"
#include "broker/config/synonyms.h"
#include "broker/controller/image_builder.h"

namespace samsa::broker {
namespace {

using protocol::error_code;

// SslConfigs.RECONFIGURABLE_CONFIGS (DynamicBrokerConfig.DynamicSecurityConfigs).
constexpr std::array<std::string_view, 10> security_configs = {
    "ssl.keystore.type",     "ssl.keystore.location",          "ssl.keystore.password",
    "ssl.key.password",      "ssl.truststore.type",            "ssl.truststore.location",
    "ssl.truststore.password", "ssl.keystore.key",             "ssl.keystore.certificate.chain",
    "ssl.truststore.certificates",
};

// DynamicListenerConfig.ClusterLevelListenerConfigs.
constexpr std::array<std::string_view, 3> cluster_level_listener_configs = {
    "max.connections", "max.connection.creation.rate", "num.network.threads"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& a, std::string_view s) {
  return std::find(a.begin(), a.end(), s) != a.end();
}

std::string scala_set(const std::set<std::string>& names) {
  std::string out = "Set(";
  bool first = true;
  for (const auto& n : names) {
    out += (first ? "" : ", ") + n;
    first = false;
  }
  return out + ")";
}

api_error invalid(std::string message) { return api_error{error_code::invalid_request, std::move(message)}; }

}  // namespace

std::optional<api_error> validate_dynamic_broker_configs(const config::broker_config& static_config,
                                                         const metadata_image& image, int32_t node_id, bool per_broker,
                                                         const config::properties& props) {
  std::set<std::string> read_only, security, per_broker_only;
  for (const auto& [key, value] : props.entries()) {
    if (const config::config_def* d = config::find_broker_config_def(key)) {
      if (d->mode == config::update_mode::read_only) read_only.insert(key);
      if (d->mode == config::update_mode::per_broker) per_broker_only.insert(key);
    }
    if (contains(security_configs, key)) security.insert(key);
    std::string_view base = config::listener_override_base(key);
    if (!base.empty() && !contains(cluster_level_listener_configs, base)) per_broker_only.insert(key);
  }
  if (!read_only.empty()) return invalid("Cannot update these configs dynamically: " + scala_set(read_only));
  if (!security.empty())
    return invalid("These security configs can be dynamically updated only per-listener using the listener prefix: " +
                   scala_set(security));
  // validateConfigTypes: listener overrides are checked as their base config.
  for (const auto& [key, value] : props.entries()) {
    std::string_view base = config::listener_override_base(key);
    const config::config_def* d = config::find_broker_config_def(base.empty() ? std::string_view(key) : base);
    if (d == nullptr) continue;
    if (auto parsed = config::parse_config(*d, value); !parsed) return invalid(parsed.error().message);
  }
  if (!per_broker && !per_broker_only.empty())
    return invalid("Cannot update these configs at default cluster level, broker id must be specified: " +
                   scala_set(per_broker_only));
  // The configuration that would result must itself be valid.
  auto effective = per_broker ? effective_broker_config(static_config, image.dynamic_cluster_defaults(), &props)
                              : effective_broker_config(static_config, &props, image.dynamic_broker_configs(node_id));
  if (!effective) return invalid(effective.error());
  return std::nullopt;
}

}  // namespace samsa::broker
