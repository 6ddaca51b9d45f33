#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// AlterConfigs (key 33, v0-2; Kafka's legacy API): each resource's stored
// configs are replaced by the given set. Broker-side checks of Kafka's
// ConfigAdminManager.preprocess (each resource once, no duplicate keys, no
// null values, BROKER names this broker or "", dynamic broker config rules;
// BROKER_LOGGER is refused), then the controller. Results in request order.
void handle_alter_configs(request_context&& ctx);

}  // namespace samsa::broker
