#pragma once

// Request and response headers, and which header version goes with which
// request. The rule: flexible request versions use request header v2 (v1
// otherwise; ControlledShutdown v0 uses v0); responses use header v1 for
// flexible versions and v0 otherwise — except ApiVersions, whose response
// always uses header v0 so that a client can read it whatever it asked for.

#include <cstdint>
#include <span>

#include "protocol/generated/headers.h"
#include "protocol/wire/encoded_message.h"
#include "protocol/wire/writer.h"

namespace samsa::protocol {

int16_t request_header_version(int16_t api_key, int16_t api_version);
int16_t response_header_version(int16_t api_key, int16_t api_version);

struct parsed_request {
  request_header header;
  int16_t header_version = 1;
  // The request body: a view into the frame.
  std::span<const uint8_t> body;
};

// Parses the header at the start of a request frame (the bytes after the
// 4-byte size). The body is what follows the header.
decode_error parse_request_header(std::span<const uint8_t> frame, parsed_request& out);

// Writes the response header for (api_key, api_version) into w.
void write_response_header(writer& w, int32_t correlation_id, int16_t api_key, int16_t api_version);

// Encodes header and body of a response, ready for framing.
template <typename Response>
encoded_message encode_response(int32_t correlation_id, int16_t api_version, const Response& body) {
  encoded_message out;
  writer w(out, 5 + body.encoded_size(api_version));
  write_response_header(w, correlation_id, Response::api_key, api_version);
  body.encode(w, api_version);
  w.finish();
  return out;
}

}  // namespace samsa::protocol
