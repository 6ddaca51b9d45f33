#include "broker/handlers/api_versions.h"

#include <algorithm>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/handlers/handler_table.h"
#include "protocol/error_code.h"
#include "protocol/generated/api_registry.h"

namespace samsa::broker {
namespace {

// Samsa speaks the protocol of Kafka 3.9 (our schema's newest versions), so it
// reports the metadata.version of 3.9 (3.9-IV0 = 21), supporting back to
// 3.3-IV3 (7) as Kafka 4.0 does. Nothing else is finalized: transaction.version
// 2 would switch Java 4.x producers to KIP-890's flow, which is not built.
constexpr int16_t metadata_version_min = 7;
constexpr int16_t metadata_version_current = 21;

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

}  // namespace

bool is_valid_client_software_string(std::string_view s) {
  if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '-' && c != '.') return false;
  return true;
}

protocol::api_versions_response unsupported_api_versions_response() {
  protocol::api_versions_response r;
  r.error_code = static_cast<int16_t>(protocol::error_code::unsupported_version);
  const api_handler* self = find_handler(protocol::api_keys::api_versions);
  r.api_keys.push_back({protocol::api_keys::api_versions, self->advertised_min_version, self->max_version, {}});
  return r;
}

void handle_api_versions(request_context&& ctx) {
  protocol::api_versions_request request;
  if (!ctx.decode(request)) return;
  protocol::api_versions_response response;
  if (ctx.api_version() >= 3 && (!is_valid_client_software_string(request.client_software_name) ||
                                 !is_valid_client_software_string(request.client_software_version))) {
    response.error_code = static_cast<int16_t>(protocol::error_code::invalid_request);
    return ctx.respond(response);
  }
  for (const auto& h : all_handlers())
    response.api_keys.push_back({h.api_key, h.advertised_min_version, h.max_version, {}});
  // Features with minimum 0 would be left out below v4 (KAFKA-17492); ours start at 7.
  response.supported_features.push_back({"metadata.version", metadata_version_min, metadata_version_current, {}});
  response.finalized_features.push_back({"metadata.version", metadata_version_current, metadata_version_current, {}});
  // The offset of the last metadata record applied, as Kafka reports it (0 before any record).
  response.finalized_features_epoch = std::max<int64_t>(0, ctx.services().metadata->current()->offset);
  ctx.respond(response);
}

}  // namespace samsa::broker
