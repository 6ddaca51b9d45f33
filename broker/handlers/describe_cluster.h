#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// DescribeCluster (key 60, v0-1): the brokers reachable on the client's
// listener, the cluster id and a live broker as controller id (Kafka's
// KRaft brokers do not expose the quorum). A CONTROLLER or unknown endpoint
// type is refused as Kafka's AuthHelper.computeDescribeClusterResponse does.
void handle_describe_cluster(request_context&& ctx);

}  // namespace samsa::broker
