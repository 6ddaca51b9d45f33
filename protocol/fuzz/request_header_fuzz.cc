// Fuzzes request-header parsing: a header that parses must re-encode to bytes
// that parse to an equal header and re-encode identically.

#include <cstdint>

#include "protocol/headers.h"
#include "protocol/wire/writer.h"

using namespace samsa::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parsed_request p;
  if (parse_request_header(std::span<const uint8_t>(data, size), p) != decode_error::none) return 0;
  if (p.body.data() < data || p.body.data() + p.body.size() != data + size) __builtin_trap();
  encoded_message once;
  {
    writer w(once);
    p.header.encode(w, p.header_version);
  }
  parsed_request q;
  if (parse_request_header(std::span<const uint8_t>(once.bytes.data(), once.bytes.size()), q) != decode_error::none)
    __builtin_trap();
  if (!(q.header == p.header) || !q.body.empty()) __builtin_trap();
  return 0;
}
