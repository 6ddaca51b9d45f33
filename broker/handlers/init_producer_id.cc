#include "broker/handlers/init_producer_id.h"

#include <memory>

#include "broker/broker_services.h"
#include "broker/config/broker_config.h"
#include "broker/data/data_plane.h"
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
    return answer(ctx, error_code::not_coordinator);
  }
  // The id may come from the controller's thread: the context travels with it.
  auto pending = std::make_shared<request_context>(std::move(ctx));
  pending->services().data->producer_ids.generate([pending](result<int64_t, error_code> id) {
    if (id) answer(*pending, error_code::none, *id, 0);
    else answer(*pending, id.error());
  });
}

}  // namespace samsa::broker
