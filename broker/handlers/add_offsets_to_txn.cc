#include <memory>

#include "broker/broker_services.h"
#include "broker/config/broker_config.h"
#include "broker/groups/coordinator_partition.h"
#include "broker/handlers/txn_handlers.h"
#include "broker/handlers/txn_util.h"
#include "broker/txn/txn_coordinator.h"
#include "protocol/generated/add_offsets_to_txn.h"

namespace samsa::broker {

using protocol::error_code;

// KafkaApis.handleAddOffsetsToTxnRequest: the group's partition of
// __consumer_offsets joins the transaction like any other partition.
void handle_add_offsets_to_txn(request_context&& ctx) {
  protocol::add_offsets_to_txn_request request;
  if (!ctx.decode(request)) return;
  auto answer = [](request_context& c, error_code e) {
    protocol::add_offsets_to_txn_response out;
    out.error_code = static_cast<int16_t>(fenced_for_version(e, c.api_version(), 2));
    c.respond(out);
  };
  if (error_code e = check_txn_coordinator(ctx, request.transactional_id); e != error_code::none)
    return answer(ctx, e);
  const int32_t partition =
      groups::coordinator_partition_for(request.group_id, ctx.services().config->offsets_topic_num_partitions());
  auto pending = std::make_shared<request_context>(std::move(ctx));
  txn_coordinator_of(*pending)->add_partitions(request.transactional_id, request.producer_id, request.producer_epoch,
                                               {{groups::kConsumerOffsetsTopic, partition}},
                                               [pending, answer](error_code e) { answer(*pending, e); });
}

}  // namespace samsa::broker
