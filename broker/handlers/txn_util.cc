#include "broker/handlers/txn_util.h"

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/data/partition_directory.h"
#include "broker/txn/transaction_log_records.h"
#include "broker/txn/txn_coordinator.h"

namespace samsa::broker {

using protocol::error_code;

txn::txn_coordinator* txn_coordinator_of(const request_context& ctx) { return ctx.services().txn; }

error_code check_txn_coordinator(const request_context& ctx, const std::string& transactional_id) {
  txn::txn_coordinator* c = txn_coordinator_of(ctx);
  if (!c) return error_code::coordinator_not_available;
  auto image = ctx.services().metadata->current();
  const topic_metadata* t = image->find_topic(txn::kTransactionStateTopic);
  if (!t) return error_code::not_coordinator;
  const partition_metadata* p = data::find_partition(*t, c->partition_for(transactional_id));
  if (!p || p->leader != ctx.services().node_id) return error_code::not_coordinator;
  return error_code::none;
}

}  // namespace samsa::broker
