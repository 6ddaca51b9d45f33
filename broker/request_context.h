#pragma once

// Everything a handler needs to serve one request, and the way to answer it.
//
// A context is move-only and answers exactly once: respond(), respond_none()
// or close_connection(). A handler may move the context into asynchronous
// work and answer later, from any thread. A context destroyed without an
// answer closes the connection (and logs), so a forgotten answer can never
// stall a client's pipeline silently.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "protocol/headers.h"
#include "protocol/wire/reader.h"

namespace samsa::broker {

struct broker_services;

// Where the answer to one request goes (the connection, or a test).
class response_channel {
 public:
  virtual ~response_channel() = default;
  virtual void send(protocol::encoded_message response) = 0;
  virtual void send_nothing() = 0;
  virtual void close(std::string_view reason) = 0;
};

class request_context {
 public:
  request_context(protocol::parsed_request request, std::shared_ptr<const void> frame_owner,
                  std::string listener_name, std::string peer, broker_services& services,
                  std::unique_ptr<response_channel> channel)
      : request_(std::move(request)),
        frame_owner_(std::move(frame_owner)),
        listener_name_(std::move(listener_name)),
        peer_(std::move(peer)),
        services_(&services),
        channel_(std::move(channel)) {}
  request_context(request_context&&) = default;
  request_context& operator=(request_context&&) = default;
  ~request_context();

  const protocol::request_header& header() const { return request_.header; }
  int16_t api_key() const { return request_.header.request_api_key; }
  int16_t api_version() const { return request_.header.request_api_version; }
  int32_t correlation_id() const { return request_.header.correlation_id; }
  std::span<const uint8_t> body() const { return request_.body; }
  const std::shared_ptr<const void>& frame_owner() const { return frame_owner_; }
  // The Kafka listener the request came in on (e.g. "PLAINTEXT").
  const std::string& listener_name() const { return listener_name_; }
  const std::string& peer() const { return peer_; }
  broker_services& services() const { return *services_; }

  // Decodes the body as Request. A body that does not parse closes the
  // connection, as Kafka does (InvalidRequestException from parseRequest);
  // then false is returned and the context is answered. Bytes after a
  // complete body are ignored, as Kafka ignores them.
  template <typename Request>
  bool decode(Request& out) {
    protocol::reader r(request_.body, frame_owner_);
    out.decode(r, api_version());
    if (r.ok()) return true;
    decode_failed(r.error(), r.error_position());
    return false;
  }

  template <typename Response>
  void respond(const Response& body) {
    answer(protocol::encode_response(correlation_id(), api_version(), body));
  }
  void answer(protocol::encoded_message response);
  void respond_none();
  void close_connection(std::string_view reason);
  bool answered() const { return channel_ == nullptr; }

 private:
  void decode_failed(protocol::decode_error e, size_t position);

  protocol::parsed_request request_;
  std::shared_ptr<const void> frame_owner_;
  std::string listener_name_;
  std::string peer_;
  broker_services* services_;
  std::unique_ptr<response_channel> channel_;  // null once answered
};

}  // namespace samsa::broker
