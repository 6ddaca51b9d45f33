#include "broker/net/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <set>

#include "broker/net/acceptor.h"
#include "broker/net/server_state.h"
#include "broker/net/tcp_connection.h"
#include "common/assert.h"

namespace samsa::broker::net {
namespace {

using runtime::shard_id;

// How often each shard looks for idle connections: a tenth of the idle limit,
// between 10 ms and 1 s, so a connection is closed at most ~10% late.
std::chrono::milliseconds idle_sweep_interval(int64_t idle_ms) {
  return std::chrono::milliseconds(std::clamp<int64_t>(idle_ms / 10, 10, 1000));
}

// Runs fn(shard) on every shard and waits. Returns false if the pool refused.
template <typename F>
bool on_every_shard(runtime::shard_pool& pool, F fn) {
  std::vector<std::future<void>> done;
  for (uint32_t s = 0; s < pool.size(); ++s) done.push_back(pool.submit(shard_id{s}, [fn, s] { fn(shard_id{s}); }));
  bool ok = true;
  for (auto& f : done) {
    try {
      f.get();
    } catch (const std::future_error&) {
      ok = false;
    }
  }
  return ok;
}

std::vector<std::shared_ptr<tcp_connection>> connections_of(server::state& st, shard_id s) {
  std::vector<std::shared_ptr<tcp_connection>> out;
  for (auto& [id, c] : st.shards[s.value()]->connections) out.push_back(c);
  return out;
}

void schedule_idle_sweep(const std::shared_ptr<server::state>& st, shard_id s) {
  const int64_t idle_ms = st->config.connections_max_idle_ms;
  std::weak_ptr<server::state> weak = st;
  st->shards[s.value()]->idle_sweep = st->pool.schedule_after(s, idle_sweep_interval(idle_ms), [weak, s, idle_ms] {
    auto st = weak.lock();
    if (!st || st->stopping.load()) return;
    const auto now = st->clock.monotonic_now();
    for (auto& c : connections_of(*st, s)) {
      if (c->idle_expired(now, std::chrono::milliseconds(idle_ms))) {
        c->close(fmt::format("idle for more than {} ms (connections.max.idle.ms)", idle_ms));
      }
    }
    schedule_idle_sweep(st, s);
  });
}

std::optional<start_error> validate(const server_config& c, size_t shards) {
  auto bad = [](std::string m) { return start_error{"", std::make_error_code(std::errc::invalid_argument), std::move(m)}; };
  if (c.listeners.empty()) return bad("no listeners configured");
  std::set<std::string> names;
  for (const auto& l : c.listeners) {
    if (!names.insert(l.name).second) return bad(fmt::format("listener name {} used twice", l.name));
  }
  if (c.socket_request_max_bytes < 1) return bad("socket.request.max.bytes must be at least 1");
  if (c.socket_listen_backlog_size < 1) return bad("socket.listen.backlog.size must be at least 1");
  if (c.max_connections < 0) return bad("max.connections must be at least 0");
  if (c.max_connections_per_ip < 0) return bad("max.connections.per.ip must be at least 0");
  if (c.queued_max_requests < 1) return bad("queued.max.requests must be at least 1");
  if (c.connection_max_in_flight_requests < 1) return bad("connection_max_in_flight_requests must be at least 1");
  if (shards == 0) return bad("the shard pool has no shards");
  return std::nullopt;
}

}  // namespace

server::state::state(runtime::shard_pool& p, server_config c, request_handler& h, server_options o)
    : pool(p),
      config(std::move(c)),
      handler(h),
      log(o.logger ? std::move(o.logger) : spdlog::default_logger()),
      clock(o.clock ? *o.clock : runtime::real_clock()),
      request_bytes(config.queued_max_request_bytes < 0 ? -1 : config.queued_max_request_bytes),
      requests(config.queued_max_requests),
      connections(config.max_connections),
      per_ip(config.max_connections_per_ip, config.max_connections_per_ip_overrides) {
  for (size_t i = 0; i < pool.size(); ++i) shards.push_back(std::make_unique<shard_slot>());
}

shard_id server::state::pick_shard() {
  const uint32_t n = static_cast<uint32_t>(shards.size());
  const uint32_t start = balance_cursor.fetch_add(1, std::memory_order_relaxed) % n;
  uint32_t best = start;
  int64_t best_load = shards[start]->load.load(std::memory_order_relaxed);
  for (uint32_t i = 1; i < n; ++i) {
    const uint32_t s = (start + i) % n;
    const int64_t load = shards[s]->load.load(std::memory_order_relaxed);
    if (load < best_load) {
      best = s;
      best_load = load;
    }
  }
  return shard_id{best};
}

void server::state::connection_opened() {
  std::lock_guard lock(live_mutex_);
  ++live_;
}

void server::state::connection_finished() {
  std::lock_guard lock(live_mutex_);
  SAMSA_ASSERT(live_ > 0, "more connections finished than opened");
  if (--live_ == 0) live_cv_.notify_all();
}

bool server::state::wait_until_no_connections(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(live_mutex_);
  return live_cv_.wait_until(lock, deadline, [this] { return live_ == 0; });
}

int64_t server::state::open_connections() const {
  std::lock_guard lock(live_mutex_);
  return live_;
}

server::server(runtime::shard_pool& pool, server_config config, request_handler& handler, server_options options)
    : state_(std::make_shared<state>(pool, std::move(config), handler, std::move(options))) {}

server::~server() { stop_now(); }

std::optional<start_error> server::start() {
  SAMSA_ASSERT(!state_->pool.current_shard(), "server::start() called from a shard");
  std::lock_guard lock(state_->lifecycle_mutex);
  SAMSA_ASSERT(!state_->started, "server::start() called twice");
  if (auto err = validate(state_->config, state_->pool.size())) return err;
  std::vector<std::shared_ptr<acceptor>> acceptors;
  for (size_t i = 0; i < state_->config.listeners.size(); ++i) {
    const auto& l = state_->config.listeners[i];
    auto a = std::make_shared<acceptor>(state_, l, shard_id{static_cast<uint32_t>(i % state_->pool.size())});
    if (auto err = a->bind()) {
      state_->bound.clear();
      return err;  // acceptors bound so far close as they are destroyed
    }
    state_->bound.push_back(bound_listener{l.name, l.host, a->port()});
    acceptors.push_back(std::move(a));
  }
  state_->acceptors = std::move(acceptors);
  state_->started = true;
  if (state_->config.connections_max_idle_ms >= 0) {
    for (uint32_t s = 0; s < state_->pool.size(); ++s) {
      state_->pool.post(shard_id{s}, [st = state_, s] { schedule_idle_sweep(st, shard_id{s}); });
    }
  }
  for (auto& a : state_->acceptors) a->start();
  return std::nullopt;
}

std::vector<bound_listener> server::bound_listeners() const { return state_->bound; }

uint16_t server::port_of(const std::string& listener_name) const {
  for (const auto& b : state_->bound) {
    if (b.name == listener_name) return b.port;
  }
  return 0;
}

bool server::stop(std::chrono::milliseconds timeout) {
  SAMSA_ASSERT(!state_->pool.current_shard(), "server::stop() called from a shard");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<std::shared_ptr<acceptor>> acceptors;
  {
    std::lock_guard lock(state_->lifecycle_mutex);
    if (!state_->started || state_->stopped) return true;
    acceptors = state_->acceptors;
  }
  state_->stopping.store(true);
  auto st = state_;
  for (auto& a : acceptors) st->pool.submit(a->home(), [a] { a->stop(); }).wait();
  on_every_shard(st->pool, [st](shard_id s) {
    for (auto& c : connections_of(*st, s)) c->begin_drain();
  });
  const bool clean = st->wait_until_no_connections(deadline);
  if (!clean) {
    st->log->warn("Socket server stop: {} connection(s) still busy after {} ms; closing them",
                  st->open_connections(), timeout.count());
  }
  stop_now();
  return clean;
}

void server::stop_now() {
  SAMSA_ASSERT(!state_->pool.current_shard(), "server::stop_now() called from a shard");
  std::vector<std::shared_ptr<acceptor>> acceptors;
  {
    std::lock_guard lock(state_->lifecycle_mutex);
    if (!state_->started || state_->stopped) return;
    state_->stopped = true;
    // Acceptors hold the state; letting go of them breaks the cycle.
    acceptors = std::move(state_->acceptors);
    state_->acceptors.clear();
  }
  state_->stopping.store(true);
  auto st = state_;
  for (auto& a : acceptors) st->pool.submit(a->home(), [a] { a->stop(); }).wait();
  acceptors.clear();
  const bool ran = on_every_shard(st->pool, [st](shard_id s) {
    st->shards[s.value()]->idle_sweep.cancel();
    for (auto& c : connections_of(*st, s)) c->close("socket server stopping");
  });
  if (!ran) {
    st->log->error("Socket server stop: the shard pool is not running; connections were not closed in order");
    return;
  }
  // Every on_close was posted before on_every_shard returned.
  if (!st->wait_until_no_connections(std::chrono::steady_clock::now() + std::chrono::seconds(30))) {
    st->log->error("Socket server stop: {} connection(s) did not finish closing", st->open_connections());
  }
  st->log->info("Socket server stopped");
}

server_stats server::stats() const {
  return server_stats{state_->open_connections(), state_->request_bytes.in_use(), state_->requests.in_use()};
}

}  // namespace samsa::broker::net
