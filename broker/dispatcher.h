#pragma once

// The dispatcher: the one place where a request frame becomes a handler call.
// It parses the request header, checks the API key and version against the
// handler table, and hands a request_context to the handler.
//
// Kafka's rules, followed here: an unknown API key, a version outside the
// served range, or a header that does not parse closes the connection without
// a response (SocketServer.parseRequestHeader); the one exception is an
// ApiVersions request of a version we do not serve (newer, or negative), which
// gets a v0 UNSUPPORTED_VERSION answer listing ApiVersions' own range.
//
// Thread-safety: dispatch() may run concurrently on every shard.

#include <memory>
#include <span>
#include <string>

#include "broker/net/request_handler.h"
#include "broker/request_context.h"

namespace samsa::broker {

struct broker_services;

class dispatcher : public net::request_handler {
 public:
  explicit dispatcher(broker_services& services) : services_(services) {}

  // Network-free core, for the connection adapter below and for tests.
  void dispatch(std::span<const uint8_t> frame, std::shared_ptr<const void> frame_owner,
                const std::string& listener_name, const std::string& peer,
                std::unique_ptr<response_channel> channel);

  void on_request(const std::shared_ptr<net::connection>& c, uint64_t seq, net::request_frame frame) override;

 private:
  broker_services& services_;
};

}  // namespace samsa::broker
