#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// FindCoordinator (key 10), v0-6: KafkaApis.handleFindCoordinatorRequest.
//   - v0-3 one key, v4+ coordinator_keys (one answer each, in order);
//   - GROUP (0): the leader of partition abs(hashCode(key)) %
//     offsets.topic.num.partitions of __consumer_offsets. Without the topic,
//     its creation is started (as Kafka's AutoTopicCreationManager, with the
//     coordinator's topic configs; it fails on a broker with fewer brokers
//     than offsets.topic.replication.factor) and COORDINATOR_NOT_AVAILABLE
//     answered; the client retries;
//   - TRANSACTION (1): the same with __transaction_state and
//     transaction.state.log.num.partitions;
//   - SHARE (2): INVALID_REQUEST (before v6, or without a share coordinator);
//   - another key type: INVALID_REQUEST for the whole request;
//   - v1-3 carry error_message ("NONE" on success, as Kafka's Errors.NONE.message()).
void handle_find_coordinator(request_context&& ctx);

}  // namespace samsa::broker
