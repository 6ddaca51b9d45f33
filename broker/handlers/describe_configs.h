#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// DescribeConfigs (key 32, v1-4): TOPIC, BROKER (this broker's id, or "" for
// the dynamic cluster defaults), BROKER_LOGGER and CLIENT_METRICS resources,
// with sources, synonyms and documentation as Kafka's ConfigHelper gives
// them. Values include dynamic broker configs and topic overrides from the
// metadata image. An unknown resource type fails the whole request
// (INVALID_REQUEST), as in Kafka.
void handle_describe_configs(request_context&& ctx);

}  // namespace samsa::broker
