#pragma once

// Drives the coordinator's timers from the wall clock: one thread that calls
// group_coordinator::tick(now) every interval (session, join, sync and
// initial-rebalance deadlines are checked with that granularity).
//
// Lifecycle: starts in the constructor; the destructor stops and joins.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace samsa::broker::groups {

class group_coordinator;

class group_ticker {
 public:
  group_ticker(group_coordinator& coordinator, std::chrono::milliseconds interval);
  ~group_ticker();
  group_ticker(const group_ticker&) = delete;
  group_ticker& operator=(const group_ticker&) = delete;

 private:
  void run();

  group_coordinator& coordinator_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

// Milliseconds of the steady clock: the coordinator's time base for timers.
int64_t steady_now_ms();
// Epoch milliseconds of the system clock: timestamps in records.
int64_t system_now_ms();

}  // namespace samsa::broker::groups
