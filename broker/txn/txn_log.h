#pragma once

// Where the transaction coordinator writes: its records in the partitions of
// __transaction_state, and the COMMIT/ABORT markers in the partitions of a
// transaction. An interface so the coordinator is tested without logs
// (test/fake_txn_log.h); the broker's implementation is
// transaction_state_log.h.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/error_code.h"

namespace samsa::broker::txn {

using topic_partition_key = std::pair<std::string, int32_t>;

struct marker_request {
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  int32_t coordinator_epoch = 0;
  bool commit = false;
  std::vector<topic_partition_key> partitions;
};

class txn_log {
 public:
  using done_fn = std::function<void(protocol::error_code)>;
  // Per partition: the error of its marker (none when durable).
  using markers_done_fn = std::function<void(std::vector<std::pair<topic_partition_key, protocol::error_code>>)>;
  virtual ~txn_log() = default;

  // Appends one record to partition `partition` of __transaction_state
  // (`value` nullopt: a tombstone). Returns an error and never calls `done`
  // when nothing was appended; otherwise `done` runs exactly once, after the
  // record is durable or failed to be, on any thread.
  virtual protocol::error_code append(int32_t partition, std::vector<uint8_t> key,
                                      std::optional<std::vector<uint8_t>> value, done_fn done) = 0;

  // Writes one marker control batch to each partition of `m` and calls
  // `done` exactly once, when every marker is durable or has failed.
  virtual void write_markers(marker_request m, markers_done_fn done) = 0;
};

}  // namespace samsa::broker::txn
