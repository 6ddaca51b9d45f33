#pragma once

// The transaction coordinator's writes through the broker's data path
// (txn_log for a running broker), and the loading of __transaction_state at
// startup (load_transaction_state).
//
// A record batch is built as Kafka's TransactionStateManager builds one:
// RecordBatch v2, no producer id, CreateTime now, uncompressed; appended as
// the leader (append_origin::coordinator) and fsynced before `done`
// (Kafka's acks=-1 on a single-replica partition). A marker is one control
// batch per partition (build_end_txn_marker_batch), appended the same way.
// Markers on __consumer_offsets also settle the group coordinator's pending
// transactional offsets once durable (groups::group_coordinator::
// complete_transaction), as Kafka's coordinator does when it replays them.
//
// Thread-safety: append() and write_markers() may be called from any thread.
// Lifetime: the services' metadata and data plane outlive it.

#include "broker/txn/txn_coordinator.h"
#include "broker/txn/txn_log.h"

namespace samsa::broker {
struct broker_services;
namespace groups {
class group_coordinator;
}
}  // namespace samsa::broker

namespace samsa::broker::txn {

class transaction_state_log final : public txn_log {
 public:
  // `groups`: the group coordinator told of markers on __consumer_offsets (may be null).
  transaction_state_log(broker_services& services, groups::group_coordinator* groups)
      : services_(services), groups_(groups) {}
  protocol::error_code append(int32_t partition, std::vector<uint8_t> key, std::optional<std::vector<uint8_t>> value,
                              done_fn done) override;
  void write_markers(marker_request m, markers_done_fn done) override;

 private:
  broker_services& services_;
  groups::group_coordinator* const groups_;
};

// Replays every partition of __transaction_state (when the topic exists)
// into `coordinator`, then calls coordinator.loaded(). Returns the number of
// records replayed. Runs before the broker serves requests.
int64_t load_transaction_state(broker_services& services, txn_coordinator& coordinator);

// The leader epoch of a partition of __transaction_state (0 when unknown):
// the coordinator epoch written in markers.
int32_t transaction_state_leader_epoch(broker_services& services, int32_t partition);

}  // namespace samsa::broker::txn
