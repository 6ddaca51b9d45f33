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
// 3.3-IV3 (7) as Kafka 4.0 does. transaction.version is finalized at 2, the
// level a new Kafka 4.x cluster is formatted with (TransactionVersion.TV_2,
// bootstrapped from 4.0-IV2): Java 4.x producers then use KIP-890 part 2
// (Produce v12's implicit add, EndTxn v5's epoch bump); older clients and
// librdkafka ignore features.
constexpr int16_t metadata_version_min = 7;
constexpr int16_t metadata_version_current = 21;
constexpr int16_t transaction_version_max = 2;

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
  // Features with minimum 0 are left out below v4 (KAFKA-17492), as Kafka
  // does: transaction.version is supported from 0.
  response.supported_features.push_back({"metadata.version", metadata_version_min, metadata_version_current, {}});
  if (ctx.api_version() >= 4)
    response.supported_features.push_back({"transaction.version", 0, transaction_version_max, {}});
  response.finalized_features.push_back({"metadata.version", metadata_version_current, metadata_version_current, {}});
  response.finalized_features.push_back(
      {"transaction.version", transaction_version_max, transaction_version_max, {}});
  // The offset of the last metadata record applied, as Kafka reports it (0 before any record).
  response.finalized_features_epoch = std::max<int64_t>(0, ctx.services().metadata->current()->offset);
  ctx.respond(response);
}

}  // namespace samsa::broker
