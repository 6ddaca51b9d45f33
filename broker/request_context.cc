#include "broker/request_context.h"

#include <spdlog/spdlog.h>

#include "broker/broker_services.h"
#include "common/assert.h"

namespace samsa::broker {

request_context::~request_context() {
  if (channel_) {
    services_->logger->error("request {} v{} (correlation id {}) from {} was never answered; closing the connection",
                             api_key(), api_version(), correlation_id(), peer_);
    close_connection("request never answered");
  }
}

void request_context::answer(protocol::encoded_message response) {
  SAMSA_ASSERT(channel_, "request answered twice");
  auto channel = std::move(channel_);
  channel->send(std::move(response));
}

void request_context::respond_none() {
  SAMSA_ASSERT(channel_, "request answered twice");
  auto channel = std::move(channel_);
  channel->send_nothing();
}

void request_context::close_connection(std::string_view reason) {
  SAMSA_ASSERT(channel_, "request answered twice");
  auto channel = std::move(channel_);
  channel->close(reason);
}

void request_context::decode_failed(protocol::decode_error e, size_t position) {
  services_->logger->info("closing connection from {}: cannot parse request {} v{} (correlation id {}): {} at body byte {}",
                          peer_, api_key(), api_version(), correlation_id(), protocol::to_string(e), position);
  close_connection("unparseable request");
}

}  // namespace samsa::broker
