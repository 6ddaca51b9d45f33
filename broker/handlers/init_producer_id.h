#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// InitProducerId (key 22), v0-5: Kafka 4.0's KafkaApis.handleInitProducerIdRequest
// and TransactionCoordinator.handleInitProducerId:
//   - producer id -1 with an epoch, or an id with epoch -1 -> INVALID_REQUEST;
//   - null transactional id (idempotent producers): a new producer id from the
//     block the controller leased to this broker, epoch 0 (a given id and
//     epoch are ignored, as Kafka does); no block -> COORDINATOR_LOAD_IN_PROGRESS;
//   - empty transactional id -> INVALID_REQUEST;
//   - transaction_timeout_ms <= 0 or above transaction.max.timeout.ms ->
//     INVALID_TRANSACTION_TIMEOUT;
//   - a transactional id whose __transaction_state partition this broker does
//     not lead -> NOT_COORDINATOR; otherwise the transaction coordinator
//     (broker/txn/): a new producer id at epoch 0, or the epoch bumped
//     (fencing older producers; an ongoing transaction is aborted first and
//     CONCURRENT_TRANSACTIONS answered), a given producer id and epoch
//     checked as KIP-360 says; PRODUCER_FENCED is INVALID_PRODUCER_EPOCH before v4.
// Errors carry producer id -1 and epoch -1.
void handle_init_producer_id(request_context&& ctx);

}  // namespace samsa::broker
