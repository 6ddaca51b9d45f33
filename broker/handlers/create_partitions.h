#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// CreatePartitions (key 37, v0-3): names given twice -> INVALID_REQUEST
// "Duplicate topic name." (Kafka's ControllerApis.createPartitions); the
// controller checks the rest (unknown topic, not an increase, assignments).
void handle_create_partitions(request_context&& ctx);

}  // namespace samsa::broker
