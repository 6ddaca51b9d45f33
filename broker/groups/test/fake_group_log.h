#pragma once

// A group_log for tests: keeps every appended batch, and completes writes
// only when the test says so (complete_all), as a log whose fsync finishes
// later. Thread-safe enough for single-threaded tests.

#include <vector>

#include "broker/groups/group_log.h"

namespace samsa::broker::groups::testing {

class fake_group_log final : public group_log {
 public:
  struct batch {
    int32_t partition;
    std::vector<coordinator_record> records;
    int64_t producer_id = -1;  // transactional batches only
    int16_t producer_epoch = -1;
  };

  protocol::error_code append(int32_t partition, std::vector<coordinator_record> records, done_fn done) override {
    if (refuse != protocol::error_code::none) return refuse;
    batches.push_back({partition, std::move(records)});
    pending.push_back(std::move(done));
    if (durable_at_once) complete_all();
    return protocol::error_code::none;
  }

  protocol::error_code append_transactional(int32_t partition, int64_t producer_id, int16_t producer_epoch,
                                            std::vector<coordinator_record> records, done_fn done) override {
    if (refuse != protocol::error_code::none) return refuse;
    batches.push_back({partition, std::move(records), producer_id, producer_epoch});
    pending.push_back(std::move(done));
    if (durable_at_once) complete_all();
    return protocol::error_code::none;
  }

  // Completes every write not completed yet with `e`.
  void complete_all(protocol::error_code e = protocol::error_code::none) {
    auto now = std::move(pending);
    pending.clear();
    for (auto& d : now) d(e);
  }

  bool durable_at_once = true;
  protocol::error_code refuse = protocol::error_code::none;
  std::vector<batch> batches;
  std::vector<done_fn> pending;
};

}  // namespace samsa::broker::groups::testing
