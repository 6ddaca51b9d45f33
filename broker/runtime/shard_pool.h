#pragma once

// A thread-per-core runtime: N shards, each one thread running its own event
// loop. Work is pinned to a shard by posting to it; state owned by a shard is
// touched only from that shard's thread, so it needs no locks.
//
// The event loop is Boost.Asio, but nothing of Asio is visible here; code that
// must reach the io_context (sockets in broker/net) uses asio_context.h.
//
// Lifecycle: constructed -> start() -> running -> stop() -> stopped.
//   - Tasks posted before start() run once it is called.
//   - stop() drains: it keeps running tasks until a full round over all shards
//     finds none left (tasks posted by tasks still run), cancels pending timers
//     (their tasks never run), then joins the threads.
//   - Once stop() has begun, post() from threads that are not shards of this
//     pool is refused (returns false); shards may still post while draining.
//   - I/O objects living on shards (broker/net servers) must be stopped before
//     the pool is: completions of I/O are not tasks and are not drained.
//   - A task that re-posts itself forever keeps stop() from finishing.
//
// Thread-safety: every method may be called from any thread, except that
// start() and stop() must not be called from one of this pool's shards.
// Precondition for all callers: the pool outlives every use of it (posting,
// cancelling timers, connection handles of broker/net that post to it).
//
// Tasks must not throw: an exception escaping a task terminates the process.

#include <chrono>
#include <cstddef>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "broker/runtime/shard_id.h"
#include "broker/runtime/timer_handle.h"
#include "broker/runtime/unique_function.h"

namespace samsa::broker::runtime {

using task = unique_function<void()>;

struct shard_pool_config {
  // Number of shards. 0 means std::thread::hardware_concurrency() (at least 1).
  size_t shards = 0;
  // Threads are named "<prefix>-<n>" (Linux keeps 15 characters).
  std::string thread_name_prefix = "shard";
  // Block SIGPIPE on shard threads, so writing to a socket whose peer has gone
  // returns EPIPE instead of killing the process (sendfile(2) has no
  // MSG_NOSIGNAL). This changes only the shard threads' signal masks.
  bool block_sigpipe = true;
};

class shard_pool {
 public:
  explicit shard_pool(shard_pool_config config = {});
  // Stops (draining) if still running.
  ~shard_pool();

  shard_pool(const shard_pool&) = delete;
  shard_pool& operator=(const shard_pool&) = delete;

  size_t size() const;

  void start();
  void stop();
  bool running() const;

  // Runs task on the shard's thread, after tasks posted to it before.
  // Returns false, destroying the task unrun, when the pool is stopping and
  // the caller is not one of its shards, or when it has stopped.
  // Precondition: shard < size().
  bool post(shard_id shard, task t);

  // The shard the calling thread runs, if it is one of this pool's threads.
  std::optional<shard_id> current_shard() const;

  // Runs task on the shard once delay has passed (measured from this call on
  // the real monotonic clock). Refused (inert handle, task destroyed) when the
  // pool is stopping or stopped.
  timer_handle schedule_after(shard_id shard, std::chrono::nanoseconds delay, task t);

  // Runs f on the shard and returns its result through a future. If the pool
  // refuses the task, the future holds std::future_error(broken_promise).
  template <typename F>
  auto submit(shard_id shard, F f) -> std::future<std::invoke_result_t<F&>>;

  struct impl;

 private:
  friend struct shard_pool_access;
  std::unique_ptr<impl> impl_;
};

template <typename F>
auto shard_pool::submit(shard_id shard, F f) -> std::future<std::invoke_result_t<F&>> {
  using result_type = std::invoke_result_t<F&>;
  std::promise<result_type> promise;
  auto future = promise.get_future();
  post(shard, [p = std::move(promise), f = std::move(f)]() mutable {
    if constexpr (std::is_void_v<result_type>) {
      f();
      p.set_value();
    } else {
      p.set_value(f());
    }
  });
  return future;
}

}  // namespace samsa::broker::runtime
