#include <memory>

#include "broker/handlers/txn_handlers.h"
#include "broker/handlers/txn_util.h"
#include "broker/txn/txn_coordinator.h"
#include "protocol/generated/end_txn.h"

namespace samsa::broker {

using protocol::error_code;

// KafkaApis.handleEndTxnRequest (transaction.version 1: v0-4).
void handle_end_txn(request_context&& ctx) {
  protocol::end_txn_request request;
  if (!ctx.decode(request)) return;
  auto answer = [](request_context& c, error_code e) {
    protocol::end_txn_response out;
    out.error_code = static_cast<int16_t>(fenced_for_version(e, c.api_version(), 2));
    c.respond(out);
  };
  if (error_code e = check_txn_coordinator(ctx, request.transactional_id); e != error_code::none)
    return answer(ctx, e);
  auto pending = std::make_shared<request_context>(std::move(ctx));
  txn_coordinator_of(*pending)->end_txn(request.transactional_id, request.producer_id, request.producer_epoch,
                                        request.committed, [pending, answer](error_code e) { answer(*pending, e); });
}

}  // namespace samsa::broker
