// Fuzzes every generated decoder: the first two bytes pick a message (request,
// response, header or data message) and a version, the rest is its body.
// Whatever decodes must re-encode to a fixed point.

#include <cstdint>
#include <vector>

#include "protocol/generated/testing/registry.h"

using namespace samsa::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  auto codecs = testing::all_message_codecs();
  const testing::message_codec& codec = codecs[data[0] % codecs.size()];
  int span = codec.max_version - codec.min_version + 1;
  int16_t version = static_cast<int16_t>(codec.min_version + data[1] % span);
  std::span<const uint8_t> body(data + 2, size - 2);
  std::vector<uint8_t> once, twice;
  if (!codec.decode_and_reencode(body, version, once).empty()) return 0;
  if (!codec.decode_and_reencode(once, version, twice).empty()) __builtin_trap();
  if (once != twice) __builtin_trap();
  return 0;
}
