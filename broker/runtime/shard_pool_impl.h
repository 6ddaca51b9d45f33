#pragma once

// Internal to broker/runtime (included by its .cc files only): the state behind
// shard_pool. Includes Asio.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "broker/runtime/shard_pool.h"
#include "common/assert.h"

namespace samsa::broker::runtime {

namespace detail {

// Shared by a timer_handle and the shard that runs the timer.
struct timer_state {
  enum : int { pending = 0, fired = 1, cancelled = 2 };
  // Moves only pending -> fired or pending -> cancelled, once (compare-exchange),
  // so exactly one of "run the task" and "cancel() returns true" happens.
  std::atomic<int> status{pending};
  // Touched only on the owning shard once schedule_after() has returned.
  task work;
  shard_pool::impl* pool = nullptr;
  shard_id shard;
};

}  // namespace detail

struct shard_state {
  explicit shard_state(uint32_t i) : index(i), work(context.get_executor()) {}

  const uint32_t index;
  // Concurrency hint 1: exactly one thread runs this context.
  boost::asio::io_context context{1};
  // Keeps run() from returning while idle; reset by stop().
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  // Armed timers. Owned by the shard thread (by stop() once the thread is joined).
  // Declared after `context` so it is destroyed first.
  std::unordered_map<detail::timer_state*, std::unique_ptr<boost::asio::steady_timer>> timers;
  // Tasks this shard has finished. Written only by the shard thread; stop()
  // compares snapshots to learn that a round over all shards ran nothing.
  std::atomic<uint64_t> tasks_run{0};
  std::thread thread;
};

struct shard_pool::impl {
  enum class lifecycle { created, running, stopping, stopped };

  explicit impl(shard_pool_config c);

  // Whether the calling thread is shard `s` of this pool.
  bool on_shard(shard_id s) const;
  // Whether the calling thread is any shard of this pool.
  bool on_any_shard() const;

  shard_state& at(shard_id s) {
    SAMSA_ASSERT(s.value() < shards.size(), "shard id out of range");
    return *shards[s.value()];
  }

  // Runs t on the shard and counts it in tasks_run. The task is destroyed
  // before it is counted, so whatever its destructor posts is seen by stop().
  void post_counted(shard_state& s, task t);

  void arm_timer(const std::shared_ptr<detail::timer_state>& st, std::chrono::steady_clock::time_point deadline);
  void on_timer(const std::shared_ptr<detail::timer_state>& st, bool expired);
  void forget_timer(const std::shared_ptr<detail::timer_state>& st);
  void cancel_all_timers(shard_state& s);

  const shard_pool_config config;
  std::vector<std::unique_ptr<shard_state>> shards;
  std::atomic<lifecycle> state{lifecycle::created};
  std::mutex lifecycle_mutex;  // serialises start() and stop()
};

}  // namespace samsa::broker::runtime
