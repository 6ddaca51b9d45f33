#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// Metadata (key 3): brokers reachable on the listener the client used, the
// cluster id, the controller id and the requested topics with their
// partitions. Follows Kafka 4.0's KafkaApis.handleTopicMetadataRequest.
void handle_metadata(request_context&& ctx);

}  // namespace samsa::broker
