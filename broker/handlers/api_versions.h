#pragma once

#include "broker/request_context.h"
#include "protocol/generated/api_versions.h"

namespace samsa::broker {

// ApiVersions (key 18): the APIs and versions this broker serves, and its
// features. Answered before authentication.
void handle_api_versions(request_context&& ctx);

// The answer to an ApiVersions request of a version newer than we know: v0
// format, UNSUPPORTED_VERSION, and only ApiVersions' own range, so the client
// can retry with a version we speak (KIP-511).
protocol::api_versions_response unsupported_api_versions_response();

// Kafka's rule for ClientSoftwareName/Version (ApiVersionsRequest.isValid):
// [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?
bool is_valid_client_software_string(std::string_view s);

}  // namespace samsa::broker
