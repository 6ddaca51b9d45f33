#include "broker/txn/transaction_state.h"

namespace samsa::broker::txn {

std::string_view txn_state_name(txn_state s) {
  switch (s) {
    case txn_state::empty: return "Empty";
    case txn_state::ongoing: return "Ongoing";
    case txn_state::prepare_commit: return "PrepareCommit";
    case txn_state::prepare_abort: return "PrepareAbort";
    case txn_state::complete_commit: return "CompleteCommit";
    case txn_state::complete_abort: return "CompleteAbort";
    case txn_state::dead: return "Dead";
    case txn_state::prepare_epoch_fence: return "PrepareEpochFence";
  }
  return "Unknown";
}

std::optional<txn_state> txn_state_from_id(int8_t id) {
  if (id < 0 || id > 7) return std::nullopt;
  return static_cast<txn_state>(id);
}

std::optional<txn_state> txn_state_from_name(std::string_view name) {
  for (int8_t i = 0; i <= 7; ++i) {
    if (txn_state_name(static_cast<txn_state>(i)) == name) return static_cast<txn_state>(i);
  }
  return std::nullopt;
}

bool valid_transition(txn_state from, txn_state to) {
  using s = txn_state;
  switch (to) {
    case s::empty: return from == s::empty || from == s::complete_commit || from == s::complete_abort;
    case s::ongoing:
      return from == s::ongoing || from == s::empty || from == s::complete_commit || from == s::complete_abort;
    case s::prepare_commit: return from == s::ongoing;
    // transaction.version 2 also aborts from Empty/Complete* (an EndTxn v5 abort
    // with no partition added), Kafka 4.x's PrepareAbort.validPreviousStates.
    case s::prepare_abort:
      return from == s::ongoing || from == s::prepare_epoch_fence || from == s::empty || from == s::complete_commit ||
             from == s::complete_abort;
    case s::complete_commit: return from == s::prepare_commit;
    case s::complete_abort: return from == s::prepare_abort;
    case s::dead: return from == s::empty || from == s::complete_commit || from == s::complete_abort;
    case s::prepare_epoch_fence: return from == s::ongoing;
  }
  return false;
}

}  // namespace samsa::broker::txn
