#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// Produce (key 0), v3-11 (v0-2 advertised, as Kafka 4.0 does, and refused).
// Kafka 4.0's KafkaApis.handleProduceRequest and ReplicaManager.handleProduceAppend /
// appendRecords for a broker that is the only replica of what it leads:
//   - request level: a corrupt first batch anywhere -> every partition
//     CORRUPT_MESSAGE; transactional batches without a transactional id ->
//     TRANSACTIONAL_ID_AUTHORIZATION_FAILED; transactional batches of two
//     producers -> INVALID_PRODUCER_ID_MAPPING; v3-6 with an unknown codec,
//     null records -> UNKNOWN_SERVER_ERROR;
//   - per partition: UNKNOWN_TOPIC_OR_PARTITION, validateRecords' errors
//     (produce_records_check.h); a transactional batch of a producer with no
//     ongoing transaction at this epoch in the partition is verified with the
//     transaction coordinator (transaction.partition.verification.enable):
//     not added -> INVALID_TXN_STATE, stale epoch -> INVALID_PRODUCER_EPOCH,
//     unknown mapping -> INVALID_PRODUCER_ID_MAPPING, coordinator busy or
//     absent -> NOT_ENOUGH_REPLICAS "Unable to verify ..."; INVALID_REQUIRED_ACKS,
//     INVALID_TOPIC_EXCEPTION for internal topics, NOT_LEADER_OR_FOLLOWER,
//     NOT_ENOUGH_REPLICAS under min ISR, then the log's errors (storage_errors.h);
//   - acks 0: no answer, or the connection closes if any partition failed;
//     acks 1: answered after the page-cache write; acks -1 (all): answered once
//     the data is fsynced (produce_ack.h).
void handle_produce(request_context&& ctx);

}  // namespace samsa::broker
