#pragma once

// Internal to broker/net: one listener. Lives on a home shard; accepts
// connections and hands each to the least-loaded shard.
//
// Kafka's Acceptor behaviour kept here:
//   - max.connections: before taking a new connection into service the
//     acceptor waits for a free slot, accepting nothing more meanwhile
//     (clients queue in the listen backlog).
//   - max.connections.per.ip: a connection over the limit is closed at once,
//     logged at info: "Rejected connection from <ip>, address already has the
//     configured maximum of <n> connections."
//   - accepted sockets get TCP_NODELAY, SO_KEEPALIVE and SO_SNDBUF (unless -1);
//     SO_RCVBUF (unless -1) is set on the listening socket before bind, so
//     accepted sockets inherit it and the TCP window scale fits it.
//
// Threading rule: bind() runs before start() on the thread calling
// server::start(); everything else runs on the home shard.

#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <optional>

#include "broker/net/server.h"
#include "broker/net/server_config.h"
#include "broker/runtime/shard_id.h"
#include "broker/runtime/timer_handle.h"

namespace samsa::broker::net {

class acceptor : public std::enable_shared_from_this<acceptor> {
 public:
  acceptor(std::shared_ptr<server::state> st, listener_config config, runtime::shard_id home);

  std::optional<start_error> bind();
  uint16_t port() const { return port_; }
  runtime::shard_id home() const { return home_; }

  // Starts the accept loop (posts to the home shard).
  void start();
  // On the home shard: stops accepting and closes the listening socket.
  void stop();

 private:
  void accept_next();
  void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
  void admit_held();
  void hand_off(boost::asio::ip::tcp::socket socket);

  const std::shared_ptr<server::state> state_;
  const listener_config config_;
  const runtime::shard_id home_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  bool stopped_ = false;
  // The shard the socket being accepted is bound to (chosen before accepting).
  runtime::shard_id target_;
  // Accepted, waiting for a max.connections slot.
  std::optional<boost::asio::ip::tcp::socket> held_;
  runtime::timer_handle retry_;
};

}  // namespace samsa::broker::net
