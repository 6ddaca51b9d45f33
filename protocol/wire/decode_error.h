#pragma once

// Why a message could not be decoded. Decoding never throws: the first error
// sticks in the reader and the broker maps it to a Kafka error or a closed
// connection.

#include <cstdint>

namespace samsa::protocol {

enum class decode_error : uint8_t {
  none = 0,
  truncated,             // a field needs more bytes than remain
  invalid_length,        // a length prefix that no valid message carries
  null_not_allowed,      // a null (-1) length for a field not nullable in this version
  string_too_long,       // a string longer than 0x7fff bytes (Kafka's limit)
  varint_too_long,       // a varint longer than its type allows
  collection_too_large,  // an element count that the remaining bytes cannot hold
  invalid_tag,           // a known tag in a version where that field is not tagged
  trailing_bytes,        // bytes left over after a complete message
  unsupported_version,   // a version outside the message's valid range
};

const char* to_string(decode_error e);

}  // namespace samsa::protocol
