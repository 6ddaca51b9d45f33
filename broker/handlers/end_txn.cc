#include <memory>

#include "broker/handlers/txn_handlers.h"
#include "broker/handlers/txn_util.h"
#include "broker/txn/txn_coordinator.h"
#include "protocol/generated/end_txn.h"

namespace samsa::broker {

using protocol::error_code;

// KafkaApis.handleEndTxnRequest: v5+ is a client of transaction version 2
// (the epoch is bumped by every commit and abort, and the answer carries the
// producer id and epoch to continue with); v0-4 use version 1.
void handle_end_txn(request_context&& ctx) {
  protocol::end_txn_request request;
  if (!ctx.decode(request)) return;
  auto answer = [](request_context& c, txn::end_txn_result r) {
    protocol::end_txn_response out;
    out.error_code = static_cast<int16_t>(fenced_for_version(r.error, c.api_version(), 2));
    out.producer_id = r.producer_id;
    out.producer_epoch = r.producer_epoch;
    c.respond(out);
  };
  if (error_code e = check_txn_coordinator(ctx, request.transactional_id); e != error_code::none)
    return answer(ctx, {e, -1, -1});
  const int16_t client_txn_version = ctx.api_version() > 4 ? 2 : 0;
  auto pending = std::make_shared<request_context>(std::move(ctx));
  txn_coordinator_of(*pending)->end_txn(request.transactional_id, request.producer_id, request.producer_epoch,
                                        request.committed, client_txn_version,
                                        [pending, answer](txn::end_txn_result r) { answer(*pending, r); });
}

}  // namespace samsa::broker
