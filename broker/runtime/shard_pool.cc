#include "broker/runtime/shard_pool.h"

#include <pthread.h>
#include <signal.h>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <future>
#include <string>

#include "broker/runtime/asio_context.h"
#include "broker/runtime/shard_pool_impl.h"
#include "common/assert.h"

namespace samsa::broker::runtime {
namespace {

// Which pool and shard the current thread runs; set once when a shard thread
// starts, never changed. Null on threads that are not shards.
thread_local const shard_pool::impl* this_thread_pool = nullptr;
thread_local uint32_t this_thread_shard = 0;

size_t resolve_shard_count(size_t requested) {
  if (requested != 0) return requested;
  return std::max<size_t>(1, std::thread::hardware_concurrency());
}

void name_this_thread(const std::string& prefix, uint32_t index) {
  std::string name = prefix + "-" + std::to_string(index);
  if (name.size() > 15) name.resize(15);
  pthread_setname_np(pthread_self(), name.c_str());
}

void block_sigpipe_on_this_thread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

// Runs fn on every shard (uncounted) and waits until each has done so. A
// barrier runs after everything queued on its shard before it.
template <typename F>
void run_on_every_shard_and_wait(shard_pool::impl& pool, F fn) {
  std::vector<std::future<void>> done;
  done.reserve(pool.shards.size());
  for (auto& s : pool.shards) {
    std::promise<void> p;
    done.push_back(p.get_future());
    boost::asio::post(s->context, [&fn, &s, p = std::move(p)]() mutable {
      fn(*s);
      p.set_value();
    });
  }
  for (auto& f : done) f.wait();
}

}  // namespace

shard_pool::impl::impl(shard_pool_config c) : config(std::move(c)) {
  const size_t n = resolve_shard_count(config.shards);
  shards.reserve(n);
  for (size_t i = 0; i < n; ++i) shards.push_back(std::make_unique<shard_state>(static_cast<uint32_t>(i)));
}

bool shard_pool::impl::on_shard(shard_id s) const {
  return this_thread_pool == this && this_thread_shard == s.value();
}

bool shard_pool::impl::on_any_shard() const { return this_thread_pool == this; }

void shard_pool::impl::post_counted(shard_state& s, task t) {
  boost::asio::post(s.context, [&s, t = std::move(t)]() mutable {
    {
      task running = std::move(t);
      running();
    }
    s.tasks_run.store(s.tasks_run.load(std::memory_order_relaxed) + 1, std::memory_order_release);
  });
}

shard_pool::shard_pool(shard_pool_config config) : impl_(std::make_unique<impl>(std::move(config))) {}

shard_pool::~shard_pool() {
  stop();
  // Threads are joined; destroy timers before their io_contexts.
  for (auto& s : impl_->shards) s->timers.clear();
}

size_t shard_pool::size() const { return impl_->shards.size(); }

bool shard_pool::running() const { return impl_->state.load(std::memory_order_acquire) == impl::lifecycle::running; }

void shard_pool::start() {
  SAMSA_ASSERT(!impl_->on_any_shard(), "shard_pool::start() called from one of its shards");
  std::lock_guard lock(impl_->lifecycle_mutex);
  SAMSA_ASSERT(impl_->state.load() == impl::lifecycle::created, "shard_pool::start() called twice or after stop()");
  impl_->state.store(impl::lifecycle::running, std::memory_order_release);
  for (auto& s : impl_->shards) {
    shard_state* shard = s.get();
    const impl* pool = impl_.get();
    s->thread = std::thread([pool, shard] {
      this_thread_pool = pool;
      this_thread_shard = shard->index;
      name_this_thread(pool->config.thread_name_prefix, shard->index);
      if (pool->config.block_sigpipe) block_sigpipe_on_this_thread();
      shard->context.run();
    });
  }
}

void shard_pool::stop() {
  SAMSA_ASSERT(!impl_->on_any_shard(), "shard_pool::stop() called from one of its shards (it would join itself)");
  std::lock_guard lock(impl_->lifecycle_mutex);
  auto& pool = *impl_;
  if (pool.state.load() == impl::lifecycle::created) {
    pool.state.store(impl::lifecycle::stopped);
    return;
  }
  if (pool.state.load() != impl::lifecycle::running) return;
  pool.state.store(impl::lifecycle::stopping, std::memory_order_seq_cst);

  // Timers will not fire any more; their tasks are dropped.
  run_on_every_shard_and_wait(pool, [&pool](shard_state& s) { pool.cancel_all_timers(s); });

  // Drain: repeat barrier rounds until one round saw no task finish anywhere.
  // A task can only be posted (once stopping) by a task running on a shard,
  // and such a task finishes before its shard's barrier, so a quiet round
  // means nothing is queued or running.
  std::vector<uint64_t> before(pool.shards.size());
  for (;;) {
    for (size_t i = 0; i < pool.shards.size(); ++i) before[i] = pool.shards[i]->tasks_run.load(std::memory_order_acquire);
    run_on_every_shard_and_wait(pool, [](shard_state&) {});
    bool quiet = true;
    for (size_t i = 0; i < pool.shards.size(); ++i) {
      if (pool.shards[i]->tasks_run.load(std::memory_order_acquire) != before[i]) quiet = false;
    }
    if (quiet) break;
  }

  pool.state.store(impl::lifecycle::stopped, std::memory_order_seq_cst);
  for (auto& s : pool.shards) {
    s->work.reset();
    s->context.stop();
  }
  for (auto& s : pool.shards) {
    if (s->thread.joinable()) s->thread.join();
  }
}

bool shard_pool::post(shard_id shard, task t) {
  auto& pool = *impl_;
  const auto state = pool.state.load(std::memory_order_seq_cst);
  if (state == impl::lifecycle::stopped) return false;
  if (state == impl::lifecycle::stopping && !pool.on_any_shard()) return false;
  pool.post_counted(pool.at(shard), std::move(t));
  return true;
}

std::optional<shard_id> shard_pool::current_shard() const {
  if (!impl_->on_any_shard()) return std::nullopt;
  return shard_id{this_thread_shard};
}

boost::asio::io_context& shard_pool_access::io_context(shard_pool& pool, shard_id shard) {
  return pool.impl_->at(shard).context;
}

}  // namespace samsa::broker::runtime
