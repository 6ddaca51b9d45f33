#include "broker/handlers/init_producer_id.h"

#include <memory>

#include "broker/broker_services.h"
#include "broker/config/broker_config.h"
#include "broker/data/data_plane.h"
#include "broker/handlers/txn_util.h"
#include "broker/txn/txn_coordinator.h"
#include "protocol/error_code.h"
#include "protocol/generated/init_producer_id.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using response_t = protocol::init_producer_id_response;

void answer(request_context& ctx, error_code e, int64_t producer_id = -1, int16_t epoch = -1) {
  response_t out;
  out.error_code = static_cast<int16_t>(e);
  out.producer_id = e == error_code::none ? producer_id : -1;
  out.producer_epoch = e == error_code::none ? epoch : -1;
  ctx.respond(out);
}

}  // namespace

void handle_init_producer_id(request_context&& ctx) {
  protocol::init_producer_id_request request;
  if (!ctx.decode(request)) return;
  if ((request.producer_id == -1) != (request.producer_epoch == -1)) return answer(ctx, error_code::invalid_request);
  if (request.transactional_id) {
    if (request.transactional_id->empty()) return answer(ctx, error_code::invalid_request);
    const int32_t max_timeout = ctx.services().config ? ctx.services().config->get_int("transaction.max.timeout.ms")
                                                      : 900'000;
    if (request.transaction_timeout_ms <= 0 || request.transaction_timeout_ms > max_timeout) {
      return answer(ctx, error_code::invalid_transaction_timeout);
    }
    if (error_code e = check_txn_coordinator(ctx, *request.transactional_id); e != error_code::none)
      return answer(ctx, e);
    std::optional<std::pair<int64_t, int16_t>> expected;
    if (request.producer_id != -1) expected.emplace(request.producer_id, request.producer_epoch);
    auto pending = std::make_shared<request_context>(std::move(ctx));
    txn_coordinator_of(*pending)->init_producer_id(
        *request.transactional_id, request.transaction_timeout_ms, expected, [pending](txn::init_pid_result r) {
          // KIP-588: before v4 a fenced producer learns INVALID_PRODUCER_EPOCH.
          answer(*pending, fenced_for_version(r.error, pending->api_version(), 4), r.producer_id, r.producer_epoch);
        });
    return;
  }
  // The id may come from the controller's thread: the context travels with it.
  auto pending = std::make_shared<request_context>(std::move(ctx));
  pending->services().data->producer_ids.generate([pending](result<int64_t, error_code> id) {
    if (id) answer(*pending, error_code::none, *id, 0);
    else answer(*pending, id.error());
  });
}

}  // namespace samsa::broker
