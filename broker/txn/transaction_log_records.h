#pragma once

// The records of __transaction_state, byte for byte as Kafka's TransactionLog
// writes them (docs/formats/transaction_state.md):
//
//   key   int16 type (0, CoordinatorRecordType.TRANSACTION_LOG), string transactional_id
//   value int16 version (1 written, as Kafka with transaction.version >= 1;
//         0 and 1 read), then TransactionLogValue:
//         int64 producer_id, int16 producer_epoch, int32 transaction_timeout_ms,
//         int8 transaction_status, nullable array of {string topic, []int32 partitions}
//         (null when Empty), int64 last_update_timestamp_ms, int64 start_timestamp_ms;
//         v1 is flexible (compact strings/arrays, tagged fields: 0 previous
//         producer id, 1 next producer id, 2 client transaction version).
//   A null value (tombstone) removes the transactional id.
//
// Strings are Java's modified-UTF-8-free UTF-8 with an int16 length (v0).

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "broker/txn/transaction_state.h"

namespace samsa::broker::txn {

inline constexpr const char* kTransactionStateTopic = "__transaction_state";

struct txn_log_value {
  int64_t producer_id = -1;
  int64_t previous_producer_id = -1;  // v1 tagged field 0
  int64_t next_producer_id = -1;      // v1 tagged field 1
  int16_t producer_epoch = -1;
  int32_t transaction_timeout_ms = 0;
  txn_state state = txn_state::empty;
  // Topic -> partitions, in the order written (Kafka groups a set: any order).
  std::vector<std::pair<std::string, std::vector<int32_t>>> partitions;
  int64_t last_update_timestamp_ms = -1;
  int64_t start_timestamp_ms = -1;
  int16_t client_transaction_version = 0;  // v1 tagged field 2
};

std::vector<uint8_t> encode_txn_key(const std::string& transactional_id);
// Writes version 1 (Kafka with transaction.version >= 1; Samsa finalizes 2);
// partitions are written as null when the state is Empty.
std::vector<uint8_t> encode_txn_value(const txn_log_value& v);
// Version 0, as Kafka with transaction.version 0 writes it.
std::vector<uint8_t> encode_txn_value_v0(const txn_log_value& v);
// nullopt: not a transaction log key (another record type) or malformed.
std::optional<std::string> decode_txn_key(std::span<const uint8_t> bytes);
// nullopt: malformed or an unknown version.
std::optional<txn_log_value> decode_txn_value(std::span<const uint8_t> bytes);

}  // namespace samsa::broker::txn
