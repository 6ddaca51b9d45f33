#pragma once

// What the network layer hands requests to (the dispatcher).
//
// Threading rule: every callback runs on the connection's shard. For one
// connection, on_open comes first, on_request calls come in arrival order
// with sequence numbers 0, 1, 2, ..., and on_close comes last, once.
//
// The handler may answer (through the connection handle) from any thread, in
// any order, at any later time; responses still leave in request order. Up to
// server_config::connection_max_in_flight_requests requests of a connection
// may be unanswered at once; Kafka itself processes one at a time per
// connection, so a handler that needs Kafka's ordering of side effects (two
// Produce requests to one partition from one producer) must keep it itself.
//
// The handler must outlive the server that calls it.

#include <cstdint>
#include <memory>

#include "broker/net/connection.h"
#include "broker/net/request_frame.h"

namespace samsa::broker::net {

class request_handler {
 public:
  virtual ~request_handler() = default;

  virtual void on_open(const std::shared_ptr<connection>& c) {}
  virtual void on_request(const std::shared_ptr<connection>& c, uint64_t seq, request_frame frame) = 0;
  // No on_request follows. Answers to requests still unanswered are dropped.
  virtual void on_close(connection& c) {}
};

}  // namespace samsa::broker::net
