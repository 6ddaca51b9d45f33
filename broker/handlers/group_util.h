#pragma once

// What every group handler checks before the coordinator sees a request:
// that this broker coordinates the group (it leads the group's partition of
// __consumer_offsets: else NOT_COORDINATOR, as Kafka's coordinator runtime
// answers for a partition it does not host), and how Kafka names the client
// host ("/1.2.3.4").

#include <string>

#include "broker/request_context.h"
#include "protocol/error_code.h"

namespace samsa::broker {

namespace groups {
class group_coordinator;
}

// Null when the broker runs without a group coordinator (tests of other parts).
groups::group_coordinator* group_coordinator_of(const request_context& ctx);

// NOT_COORDINATOR unless this broker leads the group's coordinator partition;
// COORDINATOR_NOT_AVAILABLE without a coordinator.
protocol::error_code check_group_coordinator(const request_context& ctx, const std::string& group_id);

// Kafka's InetAddress.toString of the peer: "/" + its address.
std::string client_host_of(const request_context& ctx);

}  // namespace samsa::broker
