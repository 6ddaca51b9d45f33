#pragma once

// Where the group coordinator writes its records: the partitions of
// __consumer_offsets. An interface so the coordinator can be tested without
// logs (test/fake_group_log.h) and the broker can write through its data path
// (consumer_offsets_log.h).

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "protocol/error_code.h"

namespace samsa::broker::groups {

struct coordinator_record {
  std::vector<uint8_t> key;
  std::optional<std::vector<uint8_t>> value;  // nullopt: tombstone
};

class group_log {
 public:
  using done_fn = std::function<void(protocol::error_code)>;
  virtual ~group_log() = default;

  // Appends `records` as one batch to partition `partition` of
  // __consumer_offsets. Returns an error (and never calls `done`) when the
  // batch cannot be appended; otherwise `done` runs exactly once, after the
  // batch is durable (none) or failed to be, on any thread (also from inside
  // append(), when the log is already closed).
  virtual protocol::error_code append(int32_t partition, std::vector<coordinator_record> records, done_fn done) = 0;
  // As append(), as one transactional batch of `producer_id` / `producer_epoch`
  // (TxnOffsetCommit): the records count only once a COMMIT marker follows.
  virtual protocol::error_code append_transactional(int32_t partition, int64_t producer_id, int16_t producer_epoch,
                                                    std::vector<coordinator_record> records, done_fn done) = 0;
};

}  // namespace samsa::broker::groups
