#pragma once

// The wall clock storage reads (record timestamps for LogAppendTime, timestamp
// validation, segment.ms, retention.ms, producer expiry). Tests use manual_clock.
//
// Thread-safety: both implementations may be read from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace samsa::storage::io {

class clock {
 public:
  virtual ~clock() = default;
  // Milliseconds since the Unix epoch (Kafka's Time.milliseconds()).
  virtual int64_t now_ms() const = 0;
};

class system_clock final : public clock {
 public:
  int64_t now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that moves only when told to.
class manual_clock final : public clock {
 public:
  explicit manual_clock(int64_t start_ms = 1'700'000'000'000) : now_(start_ms) {}
  int64_t now_ms() const override { return now_.load(std::memory_order_relaxed); }
  void advance_ms(int64_t ms) { now_.fetch_add(ms, std::memory_order_relaxed); }
  void set_ms(int64_t ms) { now_.store(ms, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace samsa::storage::io
