#include <set>

#include "broker/handlers/txn_handlers.h"
#include "broker/handlers/txn_util.h"
#include "broker/txn/transaction_state.h"
#include "broker/txn/txn_coordinator.h"
#include "protocol/generated/list_transactions.h"

namespace samsa::broker {

using protocol::error_code;

// KafkaApis.handleListTransactionsRequest and
// TransactionStateManager.listTransactionStates: names that are no state
// are echoed in unknown_state_filters and match nothing; the duration
// filter (v1) keeps transactions running longer than it.
void handle_list_transactions(request_context&& ctx) {
  protocol::list_transactions_request request;
  if (!ctx.decode(request)) return;
  protocol::list_transactions_response out;
  txn::txn_coordinator* c = txn_coordinator_of(ctx);
  if (!c) {
    out.error_code = static_cast<int16_t>(error_code::coordinator_not_available);
    return ctx.respond(out);
  }
  std::set<std::string> states(request.state_filters.begin(), request.state_filters.end());
  for (const auto& s : request.state_filters)
    if (!txn::txn_state_from_name(s)) out.unknown_state_filters.push_back(s);
  std::set<int64_t> pids(request.producer_id_filters.begin(), request.producer_id_filters.end());
  const int64_t duration = ctx.api_version() >= 1 ? request.duration_filter : -1;
  for (auto& l : c->list(states, pids, duration)) out.transaction_states.push_back({l.transactional_id, l.producer_id, l.state, {}});
  ctx.respond(out);
}

}  // namespace samsa::broker
