#include "broker/handlers/txn_handlers.h"
#include "broker/handlers/txn_util.h"
#include "broker/txn/txn_coordinator.h"
#include "protocol/generated/describe_transactions.h"

namespace samsa::broker {

using protocol::error_code;

// KafkaApis.handleDescribeTransactionsRequest and
// TransactionCoordinator.handleDescribeTransactions, one id at a time.
void handle_describe_transactions(request_context&& ctx) {
  protocol::describe_transactions_request request;
  if (!ctx.decode(request)) return;
  protocol::describe_transactions_response out;
  for (const auto& id : request.transactional_ids) {
    auto& s = out.transaction_states.emplace_back();
    s.transactional_id = id;
    txn::txn_description d;
    if (id.empty()) {
      d.error = txn_coordinator_of(ctx) ? error_code::invalid_request : error_code::coordinator_not_available;
    } else if (error_code e = check_txn_coordinator(ctx, id); e != error_code::none) {
      d.error = e;
    } else {
      d = txn_coordinator_of(ctx)->describe(id);
    }
    s.error_code = static_cast<int16_t>(d.error);
    if (d.error != error_code::none) continue;
    s.transaction_state = d.state;
    s.transaction_timeout_ms = d.timeout_ms;
    s.transaction_start_time_ms = d.start_timestamp_ms;
    s.producer_id = d.producer_id;
    s.producer_epoch = d.producer_epoch;
    for (const auto& [topic, partitions] : d.partitions) s.topics.push_back({topic, partitions, {}});
  }
  ctx.respond(out);
}

}  // namespace samsa::broker
