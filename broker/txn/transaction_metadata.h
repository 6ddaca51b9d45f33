#pragma once

// One transactional id as the coordinator knows it (Kafka's
// TransactionMetadata): plain data. A change is prepared as a copy with a
// new state (a "transit"), written to __transaction_state, and applied when
// durable; while a write is in flight `pending` names the state it leads to.
//
// Invariants:
//   1. state == empty implies partitions is empty.
//   2. At most one write of this id is in flight (pending set).
//   3. producer_epoch is -1 only before the first InitProducerId completes.

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "broker/txn/transaction_state.h"
#include "broker/txn/txn_log.h"

namespace samsa::broker::txn {

inline constexpr int16_t kNoProducerEpoch = -1;
inline constexpr int64_t kNoProducerId = -1;

struct txn_metadata {
  std::string transactional_id;
  int64_t producer_id = kNoProducerId;
  int64_t last_producer_id = kNoProducerId;  // before a producer id rotation (Kafka's prevProducerId)
  // transaction.version 2: the producer id the transaction moves to when its
  // epoch overflows (set by Prepare*, applied by Complete*), else -1.
  int64_t next_producer_id = kNoProducerId;
  int16_t producer_epoch = kNoProducerEpoch;
  int16_t last_producer_epoch = kNoProducerEpoch;  // for retried InitProducerId (KIP-360)
  int32_t timeout_ms = 0;
  txn_state state = txn_state::empty;
  std::set<topic_partition_key> partitions;
  int64_t start_timestamp_ms = -1;
  int64_t last_update_timestamp_ms = -1;
  // The transaction.version the client used when the state was entered
  // (Kafka's clientTransactionVersion): 2 bumps the epoch on every EndTxn.
  int16_t client_txn_version = 0;

  std::optional<txn_state> pending;  // Invariant 2
  // A fence whose PrepareAbort write failed: the next fence reuses the epoch
  // (Kafka's hasFailedEpochFence).
  bool failed_epoch_fence = false;
  // PrepareCommit/PrepareAbort is durable but the markers are not yet all
  // written: the ticker retries them.
  bool markers_pending = false;
  int32_t coordinator_epoch = 0;

  // Kafka's isEpochExhausted: an epoch this high cannot be bumped twice more.
  static bool epoch_exhausted(int16_t epoch) { return epoch >= INT16_MAX - 1; }
  bool producer_epoch_exhausted() const { return epoch_exhausted(producer_epoch); }
  // Kafka's TransactionVersion.supportsEpochBump.
  static bool supports_epoch_bump(int16_t client_txn_version) { return client_txn_version >= 2; }
};

}  // namespace samsa::broker::txn
