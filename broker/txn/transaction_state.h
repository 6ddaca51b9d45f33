#pragma once

// The states of a transactional id (Kafka's TransactionState), their ids as
// stored in __transaction_state, their names as DescribeTransactions and
// ListTransactions show them, and the transitions Kafka allows
// (TransactionState.validPreviousStates).

#include <cstdint>
#include <optional>
#include <string_view>

namespace samsa::broker::txn {

enum class txn_state : int8_t {
  empty = 0,
  ongoing = 1,
  prepare_commit = 2,
  prepare_abort = 3,
  complete_commit = 4,
  complete_abort = 5,
  dead = 6,
  // Never written: the in-memory mark of a fence in progress (InitProducerId
  // or a timeout aborting an Ongoing transaction with a bumped epoch).
  prepare_epoch_fence = 7,
};

std::string_view txn_state_name(txn_state s);
std::optional<txn_state> txn_state_from_name(std::string_view name);
std::optional<txn_state> txn_state_from_id(int8_t id);
// Kafka's TransactionState.validPreviousStates: may `from` become `to`?
bool valid_transition(txn_state from, txn_state to);
// Empty, CompleteCommit or CompleteAbort: no transaction in progress.
inline bool is_idle(txn_state s) {
  return s == txn_state::empty || s == txn_state::complete_commit || s == txn_state::complete_abort;
}

}  // namespace samsa::broker::txn
