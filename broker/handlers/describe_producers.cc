#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/data/data_plane.h"
#include "broker/handlers/txn_handlers.h"
#include "protocol/generated/describe_producers.h"
#include "storage/log/partition_log.h"

namespace samsa::broker {

using protocol::error_code;

// KafkaApis.handleDescribeProducersRequest / ReplicaManager.activeProducerState:
// the producers the partition's log keeps state for, with their open
// transaction's first offset (-1 without one).
void handle_describe_producers(request_context&& ctx) {
  protocol::describe_producers_request request;
  if (!ctx.decode(request)) return;
  broker_services& services = ctx.services();
  auto image = services.metadata->current();
  protocol::describe_producers_response out;
  for (const auto& t : request.topics) {
    auto& rt = out.topics.emplace_back();
    rt.name = t.name;
    for (int32_t index : t.partition_indexes) {
      auto& rp = rt.partitions.emplace_back();
      rp.partition_index = index;
      data::partition_lookup found = services.data->partitions.find(*image, t.name, index);
      if (found.error != error_code::none) {
        rp.error_code = static_cast<int16_t>(found.error);
        // Kafka names a missing topic with the error's default message; a missing
        // partition of an existing topic comes back from ReplicaManager without one.
        if (!image->find_topic(t.name)) rp.error_message = std::string(protocol::default_message(found.error));
        continue;
      }
      for (const auto& p : found.partition->log().active_producers()) {
        auto& s = rp.active_producers.emplace_back();
        s.producer_id = p.producer_id().value();
        s.producer_epoch = p.producer_epoch().value();
        s.last_sequence = p.last_seq();
        s.last_timestamp = p.last_timestamp_ms();
        s.coordinator_epoch = p.coordinator_epoch();
        s.current_txn_start_offset = p.current_txn_first_offset() ? p.current_txn_first_offset()->value() : -1;
      }
    }
  }
  ctx.respond(out);
}

}  // namespace samsa::broker
