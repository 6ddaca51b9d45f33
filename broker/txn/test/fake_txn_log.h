#pragma once

// A txn_log for tests: keeps every record and marker request, and completes
// writes at once or when the test says so (complete_all), as a log whose
// fsync finishes later. Markers can be made to fail. Single-threaded tests.

#include <vector>

#include "broker/txn/transaction_log_records.h"
#include "broker/txn/txn_log.h"

namespace samsa::broker::txn::testing {

class fake_txn_log final : public txn_log {
 public:
  struct record {
    int32_t partition;
    std::string transactional_id;
    std::optional<txn_log_value> value;  // nullopt: tombstone
  };

  protocol::error_code append(int32_t partition, std::vector<uint8_t> key, std::optional<std::vector<uint8_t>> value,
                              done_fn done) override {
    if (refuse != protocol::error_code::none) return refuse;
    record r{partition, decode_txn_key(key).value_or("?"), std::nullopt};
    if (value) r.value = decode_txn_value(*value);
    records.push_back(std::move(r));
    pending.push_back(std::move(done));
    if (durable_at_once) complete_all();
    return protocol::error_code::none;
  }

  void write_markers(marker_request m, markers_done_fn done) override {
    markers.push_back(m);
    std::vector<std::pair<topic_partition_key, protocol::error_code>> results;
    for (const auto& tp : m.partitions) results.emplace_back(tp, marker_error);
    if (markers_at_once) return done(std::move(results));
    pending_markers.push_back([done, results] { done(results); });
  }

  void complete_all(protocol::error_code e = protocol::error_code::none) {
    auto now = std::move(pending);
    pending.clear();
    for (auto& d : now) d(e);
  }
  void complete_markers() {
    auto now = std::move(pending_markers);
    pending_markers.clear();
    for (auto& d : now) d();
  }

  const record& last() const { return records.back(); }

  bool durable_at_once = true;
  bool markers_at_once = true;
  protocol::error_code refuse = protocol::error_code::none;
  protocol::error_code marker_error = protocol::error_code::none;
  std::vector<record> records;
  std::vector<done_fn> pending;
  std::vector<marker_request> markers;
  std::vector<std::function<void()>> pending_markers;
};

}  // namespace samsa::broker::txn::testing
