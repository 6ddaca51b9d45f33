#include "protocol/headers.h"

#include "protocol/generated/api_registry.h"

namespace samsa::protocol {
namespace {

bool is_flexible(int16_t api_key, int16_t api_version) {
  const api_schema_info* api = find_api_schema(api_key);
  // Versions beyond the newest known keep the flexibility of the newest: Kafka's
  // ranges are open-ended ("3+"), which is what lets a client's too-new
  // ApiVersions request be parsed at all.
  return api && api->first_flexible_version >= 0 && api_version >= api->first_flexible_version;
}

constexpr int16_t controlled_shutdown_key = 7;
constexpr int16_t api_versions_key = 18;

}  // namespace

int16_t request_header_version(int16_t api_key, int16_t api_version) {
  if (api_key == controlled_shutdown_key && api_version == 0) return 0;
  return is_flexible(api_key, api_version) ? 2 : 1;
}

int16_t response_header_version(int16_t api_key, int16_t api_version) {
  if (api_key == api_versions_key) return 0;
  return is_flexible(api_key, api_version) ? 1 : 0;
}

decode_error parse_request_header(std::span<const uint8_t> frame, parsed_request& out) {
  if (frame.size() < 4) return decode_error::truncated;
  reader peek(frame.first(4));
  int16_t api_key = peek.read_int16();
  int16_t api_version = peek.read_int16();
  out.header_version = request_header_version(api_key, api_version);
  reader r(frame);
  out.header = request_header{};
  out.header.decode(r, out.header_version);
  if (!r.ok()) return r.error();
  out.body = frame.subspan(r.position());
  return decode_error::none;
}

void write_response_header(writer& w, int32_t correlation_id, int16_t api_key, int16_t api_version) {
  w.write_int32(correlation_id);
  if (response_header_version(api_key, api_version) >= 1) w.write_uvarint(0);  // no tagged fields
}

}  // namespace samsa::protocol
