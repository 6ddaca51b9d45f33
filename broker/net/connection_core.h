#pragma once

// What a connection handle drives: the object that owns a socket (or, in
// tests of code above the network layer, a fake that records replies).
//
// Threading rule: both methods are called only on the connection's shard.

#include <cstdint>

#include "broker/net/reply.h"

namespace samsa::broker::net {

class connection_core {
 public:
  virtual ~connection_core() = default;
  // Precondition: seq was handed to the request handler by this connection
  // and has not been answered before.
  virtual void complete(uint64_t seq, reply r) = 0;
  // Closes at once; unwritten responses are dropped.
  virtual void close_now() = 0;
};

}  // namespace samsa::broker::net
