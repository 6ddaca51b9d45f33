#pragma once

// How a request handler answers one request of a connection.

#include <cstdint>

#include "protocol/wire/encoded_message.h"

namespace samsa::broker::net {

struct reply {
  enum class kind : uint8_t {
    message,             // send `message`
    none,                // send nothing (Produce with acks=0); later responses still flow
    close,               // send nothing; close once every earlier response is written
    message_then_close,  // send `message`, then close
  };

  kind what = kind::none;
  // The whole response, response header included; the connection adds the
  // 4-byte size prefix. Empty unless `what` sends a message.
  protocol::encoded_message message;

  static reply send(protocol::encoded_message m) { return reply{kind::message, std::move(m)}; }
  static reply nothing() { return reply{kind::none, {}}; }
  static reply close_connection() { return reply{kind::close, {}}; }
  static reply send_then_close(protocol::encoded_message m) { return reply{kind::message_then_close, std::move(m)}; }
};

}  // namespace samsa::broker::net
