#pragma once

// Transaction state while the cleaner walks a log (Kafka's
// CleanedTransactionMetadata): which data batches belong to aborted transactions
// (dropped), and when a COMMIT/ABORT marker may go (only once no batch of its
// transaction remains). Retained aborts are written to the cleaned segment's
// transaction index.
//
// Thread-safety: none; one cleaning owns it.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <vector>

#include "protocol/records/batch_view.h"
#include "storage/index/txn_index.h"

namespace samsa::storage {

class cleaned_txn_metadata {
 public:
  void add_aborted_transactions(const std::vector<aborted_txn>& txns);
  // A control batch was read; true when it may be discarded.
  bool on_control_batch_read(const protocol::batch_view& batch);
  // A data batch was read; true when it belongs to an aborted transaction.
  bool on_batch_read(const protocol::batch_view& batch);
  // Where retained aborted transactions go (the cleaned segment's index).
  void set_output(std::function<void(const aborted_txn&)> out) { out_ = std::move(out); }

 private:
  void consume_aborted_up_to(int64_t offset);

  struct ongoing_abort {
    aborted_txn txn;
    std::optional<int64_t> last_observed_batch_offset;
  };
  struct by_first_offset {
    bool operator()(const aborted_txn& a, const aborted_txn& b) const { return a.first_offset > b.first_offset; }
  };
  std::priority_queue<aborted_txn, std::vector<aborted_txn>, by_first_offset> aborted_;
  std::map<int64_t, ongoing_abort> ongoing_aborted_;  // by producer id
  std::set<int64_t> ongoing_committed_;               // producer ids
  std::function<void(const aborted_txn&)> out_;
};

}  // namespace samsa::storage
