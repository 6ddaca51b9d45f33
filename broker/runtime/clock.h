#pragma once

// Time as an interface, so code that waits (Fetch long-polls, idle connection
// expiry, delayed produce) can be tested with a clock that moves only when the
// test says so.
//
// Two readings: a monotonic one for measuring intervals and deadlines, and a
// wall-clock one for timestamps that leave the process (record timestamps,
// log names). Never mix them.
//
// Thread-safety: every clock here may be read from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace samsa::broker::runtime {

class clock {
 public:
  using monotonic_time = std::chrono::steady_clock::time_point;
  using wall_time = std::chrono::system_clock::time_point;

  virtual ~clock() = default;
  virtual monotonic_time monotonic_now() const = 0;
  virtual wall_time wall_now() const = 0;
};

// The operating system's clocks. Stateless; the returned object lives for the
// whole program.
const clock& real_clock();

// A clock for tests: both readings move only through advance().
// Invariant: monotonic_now() never decreases.
class manual_clock final : public clock {
 public:
  // Starts at an arbitrary fixed point (2023-11-14T22:13:20Z on the wall clock).
  manual_clock();
  manual_clock(monotonic_time monotonic_start, wall_time wall_start);

  monotonic_time monotonic_now() const override;
  wall_time wall_now() const override;

  // Precondition: d >= 0 (a monotonic clock cannot go back).
  void advance(std::chrono::nanoseconds d);

 private:
  std::atomic<int64_t> monotonic_ns_;
  std::atomic<int64_t> wall_ns_;
};

}  // namespace samsa::broker::runtime
