#pragma once

// Validates the batches one producer appends and accumulates the resulting state
// (Kafka's ProducerAppendInfo). Created from the producer's stored entry; nothing
// is stored until producer_state_manager::update(*this).
//
// Checks (origin client unless noted):
//   epoch older than the stored one                -> invalid_producer_epoch
//                                                     (replication: accepted)
//   new epoch with a sequence other than 0, when the producer had an epoch
//                                                  -> out_of_order_sequence
//   same epoch, sequence not last + 1 (INT32_MAX wraps to 0), unless the
//   producer is unknown to the log (KIP-360: any sequence)
//                                                  -> out_of_order_sequence
//   non-transactional batch during an open transaction (all origins)
//                                                  -> invalid_txn_state
//   marker with an older coordinator epoch (not replication)
//                                                  -> transaction_coordinator_fenced
//
// Thread-safety: plain value.

#include <optional>
#include <vector>

#include "common/kafka_types.h"
#include "protocol/records/batch_view.h"
#include "storage/producer/producer_state_entry.h"
#include "storage/result.h"
#include "storage/validation/log_validator.h"

namespace samsa::storage {

// A transaction whose marker was appended (Kafka's CompletedTxn).
struct completed_txn {
  samsa::producer_id producer_id;
  samsa::offset first_offset;
  samsa::offset last_offset;  // the marker's offset
  bool aborted = false;
};

class producer_append_info {
 public:
  producer_append_info(samsa::producer_id id, const producer_state_entry& current, append_origin origin)
      : producer_id_(id), current_(current), origin_(origin), updated_(current.without_batches()) {}

  samsa::producer_id producer_id() const { return producer_id_; }

  // Appends one batch (data or control) of this producer. For a control batch,
  // returns the completed transaction, if it had data.
  result<std::optional<completed_txn>> append(const protocol::batch_view& batch);
  status append_data_batch(samsa::producer_epoch epoch, int32_t first_seq, int32_t last_seq, int64_t last_timestamp_ms,
                           samsa::offset first_offset, samsa::offset last_offset, bool transactional);
  result<std::optional<completed_txn>> append_end_txn_marker(bool abort, int32_t coordinator_epoch,
                                                             samsa::producer_epoch epoch, samsa::offset offset,
                                                             int64_t timestamp_ms);

  const producer_state_entry& entry() const { return updated_; }
  // First offsets of the transactions these batches started.
  const std::vector<samsa::offset>& started_transactions() const { return started_; }

 private:
  status check_epoch(samsa::producer_epoch epoch, samsa::offset o) const;
  status check_sequence(samsa::producer_epoch epoch, int32_t first_seq, samsa::offset o) const;

  samsa::producer_id producer_id_;
  producer_state_entry current_;
  append_origin origin_;
  producer_state_entry updated_;
  std::vector<samsa::offset> started_;
};

}  // namespace samsa::storage
