// Fuzzes what a connection does with bytes from a client: split the stream
// into size-prefixed frames, parse each request header, decode the body with
// the generated decoder of that API and version. Whatever decodes must encode
// to bytes that decode and encode to the very same bytes (a trap otherwise).

#include <cstdint>
#include <cstring>
#include <vector>

#include "common/endian.h"
#include "protocol/generated/testing/registry.h"
#include "protocol/headers.h"

using namespace samsa::protocol;

namespace {

void check_body(int16_t key, int16_t version, std::span<const uint8_t> body) {
  const testing::message_codec* codec = testing::find_message_codec(key, testing::message_kind::request);
  if (!codec || version < codec->min_version || version > codec->max_version) return;
  std::vector<uint8_t> once, twice;
  if (!codec->decode_and_reencode(body, version, once).empty()) return;
  if (!codec->decode_and_reencode(once, version, twice).empty()) __builtin_trap();
  if (once != twice) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The stream: [int32 size][frame] repeated, as read from a socket.
  size_t pos = 0;
  for (int frames = 0; frames < 16 && size - pos >= 4; ++frames) {
    int32_t n = samsa::load_be<int32_t>(data + pos);
    pos += 4;
    if (n < 0 || static_cast<size_t>(n) > size - pos) return 0;  // a connection would be closed
    std::span<const uint8_t> frame(data + pos, static_cast<size_t>(n));
    pos += static_cast<size_t>(n);
    parsed_request p;
    if (parse_request_header(frame, p) != decode_error::none) continue;
    check_body(p.header.request_api_key, p.header.request_api_version, p.body);
  }
  return 0;
}
