#pragma once

// The handle a request handler gets for a client connection. It carries the
// connection's identity and the ways to answer its requests.
//
// Thread-safety: every method may be called from any thread; answers are
// marshalled to the connection's shard (run inline when already there).
// Lifecycle: the handle may outlive the connection; answers to a closed
// connection are dropped. Precondition: the shard_pool outlives the handle's
// use (answering posts to it).
//
// Answering: each request (sequence number) is answered exactly once, by one
// of respond, respond_none, respond_then_close or close_after. Responses are
// written in request order whatever order the answers come in.

#include <cstdint>
#include <memory>
#include <string>

#include "broker/net/connection_core.h"
#include "broker/net/reply.h"
#include "broker/runtime/shard_id.h"

namespace samsa::broker::runtime {
class shard_pool;
}

namespace samsa::broker::net {

struct connection_info {
  uint64_t id = 0;            // unique within a server
  std::string listener_name;  // Kafka listener name, e.g. "PLAINTEXT"
  std::string peer_address;   // numeric IP of the client
  uint16_t peer_port = 0;
  std::string local_address;
  uint16_t local_port = 0;
  runtime::shard_id shard;
};

class connection {
 public:
  // For broker/net, and for tests of code above it (with a fake core).
  connection(connection_info info, runtime::shard_pool& pool, std::weak_ptr<connection_core> core);

  const connection_info& info() const { return info_; }
  uint64_t id() const { return info_.id; }
  const std::string& listener_name() const { return info_.listener_name; }
  const std::string& peer_address() const { return info_.peer_address; }
  uint16_t peer_port() const { return info_.peer_port; }
  runtime::shard_id shard() const { return info_.shard; }

  // Sends `response` (the full response, header included; the 4-byte size
  // prefix is added here).
  void respond(uint64_t seq, protocol::encoded_message response);
  // No response for this request (Produce with acks=0); the memory charge of
  // the request is released and later responses keep flowing.
  void respond_none(uint64_t seq);
  // Sends `response`, then closes the connection (after a failed SASL
  // authentication, for instance).
  void respond_then_close(uint64_t seq, protocol::encoded_message response);
  // No response for this request: once every earlier response is written, the
  // connection is closed (a request that cannot be parsed, Kafka's
  // CloseConnectionResponse). Later requests are not answered.
  void close_after(uint64_t seq);
  // Closes at once, dropping unwritten responses.
  void close();

 private:
  void deliver(uint64_t seq, reply r);

  const connection_info info_;
  runtime::shard_pool& pool_;
  const std::weak_ptr<connection_core> core_;
};

}  // namespace samsa::broker::net
