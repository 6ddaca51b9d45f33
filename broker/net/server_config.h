#pragma once

// Settings of the network layer, named after Kafka's broker configs where
// there is one (defaults are Kafka's), plus what pipelining adds.

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace samsa::broker::net {

struct listener_config {
  std::string name = "PLAINTEXT";  // Kafka listener name
  std::string host;                // numeric address or host name; empty: every IPv4 interface
  uint16_t port = 9092;            // 0: any free port (see server::bound_listeners)
};

struct server_config {
  std::vector<listener_config> listeners;

  // socket.request.max.bytes: a larger (or negative) frame size closes the
  // connection.
  int32_t socket_request_max_bytes = 100 * 1024 * 1024;
  // max.connections: at the limit the acceptors stop accepting (clients wait
  // in the listen backlog) until a connection closes.
  int32_t max_connections = std::numeric_limits<int32_t>::max();
  // max.connections.per.ip (+ .overrides, keyed by numeric IP): a connection
  // over the limit is accepted and closed at once.
  int32_t max_connections_per_ip = std::numeric_limits<int32_t>::max();
  std::map<std::string, int32_t> max_connections_per_ip_overrides;
  // connections.max.idle.ms: a connection with no I/O for this long and no
  // request in flight is closed. Negative: never.
  int64_t connections_max_idle_ms = 10 * 60 * 1000;
  // SO_SNDBUF / SO_RCVBUF; -1: the operating system's default.
  int32_t socket_send_buffer_bytes = 100 * 1024;
  int32_t socket_receive_buffer_bytes = 100 * 1024;
  // socket.listen.backlog.size
  int32_t socket_listen_backlog_size = 50;

  // queued.max.request.bytes: broker-wide bytes of request frames held (see
  // request_frame). -1: unlimited. When exhausted, connections stop reading
  // their sockets until frames are released.
  int64_t queued_max_request_bytes = -1;
  // queued.max.requests: broker-wide request frames held at once. Kafka
  // counts requests waiting for a handler thread; here a request counts until
  // its frame is released (normally once the handler has decoded it and
  // dropped the frame) or its response is written.
  int32_t queued_max_requests = 500;

  // Samsa: unanswered requests one connection may have at once (pipelining
  // depth; Kafka answers one at a time). Bounds the per-connection reorder
  // buffer and keeps one busy client from monopolising its shard.
  int32_t connection_max_in_flight_requests = 100;
  // Samsa: bytes of request frames one connection may hold (same rule as
  // queued.max.request.bytes). -1: unlimited.
  int64_t connection_max_in_flight_bytes = 100 * 1024 * 1024;
  // Samsa: after an orderly close (close_after, respond_then_close, graceful
  // stop) the connection sends FIN, then reads and discards for up to this
  // long waiting for the client's FIN, so that unread requests still in the
  // socket do not make the kernel reset the connection and destroy responses
  // the client has not read yet.
  int64_t close_linger_ms = 1000;
};

}  // namespace samsa::broker::net
