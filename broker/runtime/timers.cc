// Timers of shard_pool: each armed timer is an Asio steady_timer owned by its
// shard's registry, so no timer object outlives the io_context it uses even if
// a timer_handle is kept forever.

#include <boost/asio/post.hpp>

#include <vector>

#include "broker/runtime/shard_pool.h"
#include "broker/runtime/shard_pool_impl.h"
#include "broker/runtime/timer_handle.h"

namespace samsa::broker::runtime {

using detail::timer_state;

timer_handle shard_pool::schedule_after(shard_id shard, std::chrono::nanoseconds delay, task t) {
  auto& pool = *impl_;
  const auto state = pool.state.load(std::memory_order_seq_cst);
  if (state == impl::lifecycle::stopping || state == impl::lifecycle::stopped) return timer_handle{};
  auto& target = pool.at(shard);
  const auto deadline = std::chrono::steady_clock::now() + delay;
  auto st = std::make_shared<timer_state>();
  st->work = std::move(t);
  st->pool = &pool;
  st->shard = shard;
  if (pool.on_shard(shard)) {
    pool.arm_timer(st, deadline);
  } else {
    boost::asio::post(target.context, [&pool, st, deadline] { pool.arm_timer(st, deadline); });
  }
  return timer_handle{std::move(st)};
}

void shard_pool::impl::arm_timer(const std::shared_ptr<timer_state>& st, std::chrono::steady_clock::time_point deadline) {
  const auto lc = state.load(std::memory_order_seq_cst);
  if (lc == lifecycle::stopping || lc == lifecycle::stopped) {
    int expected = timer_state::pending;
    st->status.compare_exchange_strong(expected, timer_state::cancelled);
  }
  if (st->status.load() != timer_state::pending) {
    st->work = nullptr;  // cancelled before it was armed
    return;
  }
  auto& s = at(st->shard);
  auto timer = std::make_unique<boost::asio::steady_timer>(s.context, deadline);
  timer->async_wait([this, st](const boost::system::error_code& ec) { on_timer(st, !ec); });
  s.timers.emplace(st.get(), std::move(timer));
}

void shard_pool::impl::on_timer(const std::shared_ptr<timer_state>& st, bool expired) {
  auto& s = at(st->shard);
  s.timers.erase(st.get());  // destroying the timer inside its own handler is allowed
  int expected = timer_state::pending;
  if (expired && st->status.compare_exchange_strong(expected, timer_state::fired)) {
    {
      task running = std::move(st->work);
      running();
    }
    s.tasks_run.store(s.tasks_run.load(std::memory_order_relaxed) + 1, std::memory_order_release);
  } else {
    st->work = nullptr;
  }
}

void shard_pool::impl::forget_timer(const std::shared_ptr<timer_state>& st) {
  at(st->shard).timers.erase(st.get());  // aborts the wait; on_timer drops the task
  st->work = nullptr;
}

void shard_pool::impl::cancel_all_timers(shard_state& s) {
  // The tasks are dropped here, not left to the aborted waits' handlers: a
  // stopping shard may never run those, and a task that owns the holder of its
  // own timer_handle (a waiting fetch) would then keep itself alive forever.
  // They are destroyed after the registry is cleared, because destroying one can
  // cancel other timers of this shard (a connection closing), which erases from it.
  std::vector<task> dropped;
  for (auto& [st, timer] : s.timers) {
    int expected = timer_state::pending;
    st->status.compare_exchange_strong(expected, timer_state::cancelled);
    if (st->work) dropped.push_back(std::move(st->work));
    st->work = nullptr;
  }
  s.timers.clear();
  dropped.clear();
}

bool timer_handle::cancel() {
  if (!state_) return false;
  int expected = timer_state::pending;
  if (!state_->status.compare_exchange_strong(expected, timer_state::cancelled)) return false;
  auto& pool = *state_->pool;
  if (pool.on_shard(state_->shard)) {
    pool.forget_timer(state_);
  } else if (pool.state.load() != shard_pool::impl::lifecycle::stopped) {
    // Free the timer and its task early rather than at the deadline.
    boost::asio::post(pool.at(state_->shard).context, [&pool, st = state_] { pool.forget_timer(st); });
  }
  return true;
}

bool timer_handle::pending() const { return state_ && state_->status.load() == timer_state::pending; }

}  // namespace samsa::broker::runtime
