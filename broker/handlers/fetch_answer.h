#pragma once

// The last step of every Fetch, immediate or after a long poll: results in
// Kafka's order (partitions read, then the erroneous ones), the fetch session
// updated (fetch_context::build_response), KAFKA_STORAGE_ERROR shown to
// clients older than v6 as NOT_LEADER_OR_FOLLOWER, and from v16 the current
// leader and its endpoint for NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH
// (KafkaApis.handleFetchRequest's processResponseCallback).

#include <cstdint>
#include <vector>

#include "broker/cluster/metadata_image.h"
#include "broker/fetch_session/fetch_context.h"
#include "broker/fetch_session/fetch_types.h"
#include "broker/request_context.h"

namespace samsa::broker {

// Monotonic milliseconds, the fetch session cache's clock.
int64_t fetch_clock_ms();

void answer_fetch(request_context& ctx, fetch_context& session, std::vector<partition_result> read,
                  std::vector<partition_result> erroneous, const metadata_image& image);

}  // namespace samsa::broker
