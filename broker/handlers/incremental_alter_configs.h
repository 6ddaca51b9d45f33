#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// IncrementalAlterConfigs (key 44, v0-1) for TOPIC, BROKER and BROKER_LOGGER
// resources. First the broker-side checks of Kafka's ConfigAdminManager.preprocess
// (each resource at most once, no duplicate keys, no null value except for
// DELETE, BROKER names this broker or "", dynamic broker config rules;
// BROKER_LOGGER is applied here), then the controller for the rest. Results
// in request order.
void handle_incremental_alter_configs(request_context&& ctx);

}  // namespace samsa::broker
