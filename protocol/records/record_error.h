#pragma once

// Why a RecordBatch, a record or a compressed payload was rejected. These are
// values, never exceptions: every byte here may come from an untrusted client.
// The broker maps them to Kafka error codes in one place (see README.md).

#include <cstdint>
#include <string_view>

namespace samsa::protocol {

enum class record_error : uint8_t {
  // The buffer ends inside a fixed-size header or field.
  truncated,
  // The last batch of a buffer announces more bytes than the buffer holds. Normal
  // at the end of a Fetch response; an error anywhere a whole batch is required.
  partial_batch,
  // magic is 0 or 1: a legacy MessageSet, which this API does not accept.
  unsupported_magic,
  // magic is not 0, 1 or 2: the bytes are not a batch at all.
  invalid_magic,
  // batchLength is below the v2 minimum (49) or otherwise impossible.
  invalid_length,
  // The stored CRC-32C does not match the batch bytes.
  corrupt_crc,
  // A record inside the batch is malformed (bad varint, length past its end, ...).
  invalid_record,
  // recordsCount disagrees with the records actually present.
  record_count_mismatch,
  // Compression bits name codec 5, 6 or 7.
  unsupported_compression,
  // The compressed payload is corrupt or truncated.
  decompression_failed,
  // A compressor reported failure (only on resource exhaustion or a library bug).
  compression_failed,
  // Decompressed output would exceed the caller's limit, or a batch would exceed int32.
  too_large,
  // A control record's key or value does not parse.
  invalid_control_record,
};

std::string_view to_string(record_error e);

}  // namespace samsa::protocol
