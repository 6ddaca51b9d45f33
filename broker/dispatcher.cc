#include "broker/dispatcher.h"

#include <spdlog/spdlog.h>

#include "broker/broker_services.h"
#include "broker/handlers/api_versions.h"
#include "broker/handlers/handler_table.h"
#include "broker/net/connection.h"
#include "protocol/generated/api_registry.h"

namespace samsa::broker {
namespace {

// Answers one request of a network connection.
class connection_channel final : public response_channel {
 public:
  connection_channel(std::shared_ptr<net::connection> c, uint64_t seq) : connection_(std::move(c)), seq_(seq) {}
  void send(protocol::encoded_message response) override { connection_->respond(seq_, std::move(response)); }
  void send_nothing() override { connection_->respond_none(seq_); }
  void close(std::string_view) override { connection_->close_after(seq_); }

 private:
  std::shared_ptr<net::connection> connection_;
  uint64_t seq_;
};

}  // namespace

void dispatcher::dispatch(std::span<const uint8_t> frame, std::shared_ptr<const void> frame_owner,
                          const std::string& listener_name, const std::string& peer,
                          std::unique_ptr<response_channel> channel) {
  protocol::parsed_request parsed;
  if (auto err = protocol::parse_request_header(frame, parsed); err != protocol::decode_error::none) {
    services_.logger->info("closing connection from {}: cannot parse request header: {}", peer, protocol::to_string(err));
    return channel->close("unparseable header");
  }
  const int16_t key = parsed.header.request_api_key;
  const int16_t version = parsed.header.request_api_version;
  const api_handler* handler = find_handler(key);
  if (!handler) {
    services_.logger->info("closing connection from {}: unsupported API key {} (correlation id {})", peer, key,
                           parsed.header.correlation_id);
    return channel->close("unsupported api key");
  }
  if (key == protocol::api_keys::api_versions && (version > handler->max_version || version < handler->min_version)) {
    // KIP-511: reply in v0 so that any client can read it, and let it retry.
    // Kafka does this for every version it does not support, negative ones too.
    return channel->send(protocol::encode_response(parsed.header.correlation_id, 0, unsupported_api_versions_response()));
  }
  if (version < handler->min_version || version > handler->max_version) {
    services_.logger->info("closing connection from {}: request for API {} ({}) with unsupported version {}", peer, key,
                           protocol::find_api_schema(key) ? protocol::find_api_schema(key)->name : "?", version);
    return channel->close("unsupported version");
  }
  handler->handle(request_context(std::move(parsed), std::move(frame_owner), listener_name, peer, services_,
                                  std::move(channel)));
}

void dispatcher::on_request(const std::shared_ptr<net::connection>& c, uint64_t seq, net::request_frame frame) {
  std::span<const uint8_t> bytes = frame.bytes();
  dispatch(bytes, frame.owner(), c->listener_name(), c->peer_address() + ":" + std::to_string(c->peer_port()),
           std::make_unique<connection_channel>(c, seq));
}

}  // namespace samsa::broker
