#pragma once

// What every transaction handler checks before the coordinator sees a
// request: that this broker coordinates the transactional id (it leads the
// id's partition of __transaction_state: else NOT_COORDINATOR, as Kafka's
// TransactionStateManager.getTransactionState answers for a partition it
// does not own), and Kafka's version-dependent renaming of PRODUCER_FENCED.

#include <string>

#include "broker/request_context.h"
#include "protocol/error_code.h"

namespace samsa::broker {

namespace txn {
class txn_coordinator;
}

// Null when the broker runs without a transaction coordinator.
txn::txn_coordinator* txn_coordinator_of(const request_context& ctx);

// NOT_COORDINATOR unless this broker leads the id's coordinator partition
// (also when __transaction_state does not exist yet); COORDINATOR_NOT_AVAILABLE
// without a coordinator.
protocol::error_code check_txn_coordinator(const request_context& ctx, const std::string& transactional_id);

// KIP-588: requests older than `first_fenced_version` learn PRODUCER_FENCED
// as INVALID_PRODUCER_EPOCH (KafkaApis does this per API).
inline protocol::error_code fenced_for_version(protocol::error_code e, int16_t version, int16_t first_fenced_version) {
  if (e == protocol::error_code::producer_fenced && version < first_fenced_version)
    return protocol::error_code::invalid_producer_epoch;
  return e;
}

}  // namespace samsa::broker
