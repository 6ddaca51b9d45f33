#pragma once

// The broker-side rules for dynamic broker configs (Kafka's
// DynamicBrokerConfig.validate as ConfigAdminManager applies it before a
// BROKER resource reaches the controller). Every failure is INVALID_REQUEST
// with Kafka's message:
//   read-only key          "Cannot update these configs dynamically: Set(log.dirs)"
//   TLS key, no listener   "These security configs can be dynamically updated only per-listener using the
//                          listener prefix: Set(ssl.keystore.location)"
//   bad value              "Invalid value x for configuration num.io.threads: Not a number of type INT"
//   per-broker key at the
//   cluster level          "Cannot update these configs at default cluster level, broker id must be specified:
//                          Set(listeners)"
// Keys Kafka does not know are accepted (custom configs), as Kafka does.

#include <optional>

#include "broker/cluster/metadata_image.h"
#include "broker/config/broker_config.h"
#include "broker/config/properties.h"
#include "broker/controller/controller.h"

namespace samsa::broker {

// `props` is the complete dynamic config set the resource would have: this
// broker's (per_broker) or the cluster default's.
std::optional<api_error> validate_dynamic_broker_configs(const config::broker_config& static_config,
                                                         const metadata_image& image, int32_t node_id, bool per_broker,
                                                         const config::properties& props);

}  // namespace samsa::broker
