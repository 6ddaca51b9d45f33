#pragma once

// Readers of the transaction checker: a librdkafka consumer (no group; every
// partition assigned from the beginning) that runs on its own thread while the
// producers write and the broker is killed, and keeps every record it
// receives, in order, per partition. isolation.level is read_committed; the
// checker's deliberately broken mode uses read_uncommitted to show that the
// check catches aborted records.

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "broker/test/txn_checker_history.h"

namespace samsa::broker::testing::txn {

using end_offsets = std::map<partition_key, int64_t>;

class reader {
 public:
  reader(const std::string& bootstrap, const std::vector<partition_key>& partitions, const std::string& isolation_level);
  ~reader();
  reader(const reader&) = delete;
  reader& operator=(const reader&) = delete;

  // Waits until every partition reported end-of-partition at or past `ends`
  // (the offsets the reading must reach). False at the deadline.
  bool wait_until_read(const end_offsets& ends, std::chrono::milliseconds timeout);
  // Stops the thread; returns everything read.
  reading finish();
  std::string progress(const end_offsets& ends);
  int64_t errors() const { return errors_; }

 private:
  void run();

  rd_kafka_t* rk_ = nullptr;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> errors_{0};
  std::mutex mu_;
  reading reading_;
  end_offsets eof_at_;  // last end-of-partition offset per partition
};

// The log end offsets as seen by `isolation_level`: high watermarks for
// read_uncommitted, last stable offsets for read_committed (ListOffsets latest).
// Empty on error.
end_offsets query_end_offsets(const std::string& bootstrap, const std::vector<partition_key>& partitions,
                              const std::string& isolation_level, std::string* error);

// Polls until no partition has an open transaction (last stable offset ==
// high watermark everywhere) and returns those offsets; empty at the deadline.
end_offsets wait_until_stable(const std::string& bootstrap, const std::vector<partition_key>& partitions,
                              std::chrono::milliseconds timeout, std::string* last_state);

}  // namespace samsa::broker::testing::txn
