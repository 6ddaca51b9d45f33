#pragma once

// A handle to a task scheduled with shard_pool::schedule_after.
//
// Thread-safety: cancel() and pending() may be called from any thread.
// Lifecycle: dropping the handle does not cancel the timer (fire and forget is
// fine). Precondition: cancel() is not called after the shard_pool that made
// the timer has been destroyed (stopped is fine).

#include <memory>

namespace samsa::broker::runtime {

namespace detail {
struct timer_state;
}

class timer_handle {
 public:
  // An inert handle: nothing scheduled, cancel() returns false.
  timer_handle() = default;

  // Prevents the task from running. Returns true if this call did so; false if
  // the task already ran or started running, was cancelled before, or was
  // never scheduled. The task object is destroyed on its shard shortly after.
  bool cancel();

  // True while the task has neither run nor been cancelled.
  bool pending() const;

 private:
  friend class shard_pool;
  explicit timer_handle(std::shared_ptr<detail::timer_state> s) : state_(std::move(s)) {}
  std::shared_ptr<detail::timer_state> state_;
};

}  // namespace samsa::broker::runtime
