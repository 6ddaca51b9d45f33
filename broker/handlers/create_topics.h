#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// CreateTopics (key 19, v2-7 as Kafka 4.0 serves): Kafka's ControllerApis
// rules (duplicate names -> INVALID_REQUEST "Duplicate topic name.",
// __cluster_metadata -> INVALID_REQUEST), then the controller for the rest.
// Results come in request order, followed by the duplicates and the metadata topic.
void handle_create_topics(request_context&& ctx);

}  // namespace samsa::broker
