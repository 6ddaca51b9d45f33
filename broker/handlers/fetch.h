#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// Fetch (key 1), v4-17: Kafka 4.0's KafkaApis.handleFetchRequest and
// ReplicaManager.fetchMessages for a leader that is the only replica.
//   1. The fetch session decides what to read (fetch_session/README.md);
//      unknown topic ids -> UNKNOWN_TOPIC_ID, partitions the image lacks ->
//      UNKNOWN_TOPIC_OR_PARTITION.
//   2. Each partition is read (fetch_read.h): NOT_LEADER_OR_FOLLOWER,
//      FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH against current_leader_epoch,
//      diverging epochs, OFFSET_OUT_OF_RANGE, KAFKA_STORAGE_ERROR, isolation
//      (READ_COMMITTED stops at the last stable offset and lists aborted
//      transactions), records as log-file ranges sent with sendfile.
//   3. Answered at once when max_wait_ms <= 0, nothing is to be read, enough
//      bytes are there (min_bytes), or a partition failed or diverged;
//      otherwise the fetch waits (delayed_fetch.h).
// max_bytes is capped by fetch.max.bytes; min_bytes by max_bytes.
void handle_fetch(request_context&& ctx);

}  // namespace samsa::broker
