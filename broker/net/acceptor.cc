#include "broker/net/acceptor.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

#include "broker/net/server_state.h"
#include "broker/net/tcp_connection.h"
#include "broker/runtime/asio_context.h"

namespace samsa::broker::net {
namespace {

namespace ip = boost::asio::ip;
using runtime::shard_pool_access;

// Pause after a failed accept (out of file descriptors, say) instead of spinning.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

// An accepted socket travelling to its shard. If it never gets there (the
// server stops first, or the pool refuses the task) it gives back everything
// taken for it.
struct handoff {
  std::shared_ptr<server::state> st;
  std::optional<ip::tcp::socket> socket;
  connection_info info;

  handoff(std::shared_ptr<server::state> s, ip::tcp::socket sock, connection_info i)
      : st(std::move(s)), socket(std::move(sock)), info(std::move(i)) {}
  handoff(const handoff&) = delete;
  handoff& operator=(const handoff&) = delete;
  ~handoff() {
    if (!socket) return;
    boost::system::error_code ignored;
    socket->close(ignored);
    st->per_ip.remove(info.peer_address);
    st->connections.give_back(1);
    st->shards[info.shard.value()]->load.fetch_sub(1, std::memory_order_relaxed);
    st->connection_finished();
  }
};

}  // namespace

acceptor::acceptor(std::shared_ptr<server::state> st, listener_config config, runtime::shard_id home)
    : state_(std::move(st)),
      config_(std::move(config)),
      home_(home),
      acceptor_(shard_pool_access::io_context(state_->pool, home)) {}

std::optional<start_error> acceptor::bind() {
  boost::system::error_code ec;
  ip::tcp::endpoint endpoint;
  if (config_.host.empty()) {
    endpoint = ip::tcp::endpoint(ip::address_v4::any(), config_.port);
  } else if (auto address = ip::make_address(config_.host, ec); !ec) {
    endpoint = ip::tcp::endpoint(address, config_.port);
  } else {
    ip::tcp::resolver resolver(acceptor_.get_executor());
    auto results = resolver.resolve(config_.host, std::to_string(config_.port), ec);
    if (ec || results.empty()) {
      return start_error{config_.name, ec,
                         fmt::format("cannot resolve host {} of listener {}: {}", config_.host, config_.name,
                                     ec ? ec.message() : "no address")};
    }
    endpoint = results.begin()->endpoint();
  }

  auto fail = [&](std::string_view step) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return start_error{config_.name, ec,
                       fmt::format("Socket server failed to bind to {}:{} ({}): {}.", endpoint.address().to_string(),
                                   config_.port, step, ec.message())};
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  acceptor_.set_option(ip::tcp::acceptor::reuse_address(true), ec);
  if (ec) return fail("SO_REUSEADDR");
  if (state_->config.socket_receive_buffer_bytes != -1) {
    acceptor_.set_option(boost::asio::socket_base::receive_buffer_size(state_->config.socket_receive_buffer_bytes), ec);
    if (ec) return fail("SO_RCVBUF");
  }
  acceptor_.bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor_.listen(state_->config.socket_listen_backlog_size, ec);
  if (ec) return fail("listen");
  port_ = acceptor_.local_endpoint(ec).port();
  state_->log->info("Awaiting socket connections on {}:{} (listener {}).", endpoint.address().to_string(), port_,
                    config_.name);
  return std::nullopt;
}

void acceptor::start() {
  state_->pool.post(home_, [self = shared_from_this()] { self->accept_next(); });
}

void acceptor::stop() {
  stopped_ = true;
  retry_.cancel();
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  held_.reset();  // closes a connection that was waiting for a slot
}

void acceptor::accept_next() {
  if (stopped_ || held_) return;
  target_ = state_->pick_shard();
  boost::asio::any_io_executor target_executor = shard_pool_access::io_context(state_->pool, target_).get_executor();
  acceptor_.async_accept(target_executor, [self = shared_from_this()](const boost::system::error_code& ec,
                                                                      ip::tcp::socket socket) {
    self->on_accept(ec, std::move(socket));
  });
}

void acceptor::on_accept(const boost::system::error_code& ec, ip::tcp::socket socket) {
  if (stopped_) return;
  if (ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    state_->log->error("Error while accepting connection on listener {}: {}", config_.name, ec.message());
    retry_ = state_->pool.schedule_after(home_, kAcceptRetryDelay, [weak = weak_from_this()] {
      if (auto a = weak.lock()) a->accept_next();
    });
    return;
  }
  held_.emplace(std::move(socket));
  admit_held();
}

void acceptor::admit_held() {
  if (stopped_ || !held_) return;
  auto waiter = [pool = &state_->pool, home = home_, weak = weak_from_this()] {
    pool->post(home, [weak] {
      if (auto a = weak.lock()) a->admit_held();
    });
  };
  // Kafka's ConnectionQuotas.waitForConnectionSlot: the acceptor blocks here.
  if (!state_->connections.take_or_wait(1, std::move(waiter))) return;
  ip::tcp::socket socket = std::move(*held_);
  held_.reset();
  hand_off(std::move(socket));
  accept_next();
}

void acceptor::hand_off(ip::tcp::socket socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) {  // the client has already gone
    state_->connections.give_back(1);
    return;
  }
  const std::string peer = remote.address().to_string();
  if (auto max = state_->per_ip.try_add(peer)) {
    state_->log->info("Rejected connection from {}, address already has the configured maximum of {} connections.",
                      peer, *max);
    socket.close(ec);
    state_->connections.give_back(1);
    return;
  }
  socket.set_option(ip::tcp::no_delay(true), ec);
  if (!ec) socket.set_option(boost::asio::socket_base::keep_alive(true), ec);
  if (!ec && state_->config.socket_send_buffer_bytes != -1) {
    socket.set_option(boost::asio::socket_base::send_buffer_size(state_->config.socket_send_buffer_bytes), ec);
  }
  const auto local = ec ? ip::tcp::endpoint{} : socket.local_endpoint(ec);
  if (ec) {
    state_->log->error("Encountered an error while configuring the connection from {}, closing it: {}", peer,
                       ec.message());
    socket.close(ec);
    state_->per_ip.remove(peer);
    state_->connections.give_back(1);
    return;
  }

  connection_info info;
  info.id = state_->next_connection_id.fetch_add(1, std::memory_order_relaxed);
  info.listener_name = config_.name;
  info.peer_address = peer;
  info.peer_port = remote.port();
  info.local_address = local.address().to_string();
  info.local_port = local.port();
  info.shard = target_;

  state_->shards[target_.value()]->load.fetch_add(1, std::memory_order_relaxed);
  state_->connection_opened();
  auto h = std::make_unique<handoff>(state_, std::move(socket), std::move(info));
  state_->pool.post(target_, [h = std::move(h)]() mutable {
    if (h->st->stopping.load()) return;  // ~handoff gives everything back
    auto c = std::make_shared<tcp_connection>(h->st, std::move(*h->socket), h->info);
    h->socket.reset();
    c->start();
  });
}

}  // namespace samsa::broker::net
