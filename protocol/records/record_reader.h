#pragma once

// Records inside a batch (after decompression). Each record is:
//
//   length          varint   bytes after this field
//   attributes      int8     unused, 0
//   timestampDelta  varlong  relative to the batch's baseTimestamp
//   offsetDelta     varint   relative to the batch's baseOffset
//   keyLength       varint   negative = null key
//   key             bytes
//   valueLength     varint   negative = null value (tombstone)
//   value           bytes
//   headerCount     varint   must be >= 0
//   headers         headerCount x { keyLength varint (>= 0), key, valueLength varint (negative = null), value }
//
// Varints are zigzag (see varint.h). Validation is Kafka's DefaultRecord.readFrom:
// every length is checked against the bytes left, the record must end exactly
// where `length` says, and the count must match the batch's recordsCount with no
// bytes left over. Offset deltas are NOT checked here (see README.md).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "protocol/records/record_error.h"
#include "protocol/records/varint.h"

namespace samsa::protocol {

using nullable_bytes = std::optional<std::span<const uint8_t>>;

struct record_header_view {
  std::span<const uint8_t> key;  // UTF-8 by convention; not validated (Kafka does not either)
  nullable_bytes value;

  std::string_view key_string() const { return {reinterpret_cast<const char*>(key.data()), key.size()}; }
};

// One decoded record. Spans point into the buffer given to record_reader.
struct record_view {
  int8_t attributes = 0;
  int64_t timestamp_delta = 0;
  int32_t offset_delta = 0;
  nullable_bytes key;
  nullable_bytes value;
  int32_t header_count = 0;
  std::span<const uint8_t> header_bytes;  // validated by the reader; walk with header_reader
  size_t size_bytes = 0;                  // whole record, length varint included
};

// Walks the headers of a record that record_reader returned.
class header_reader {
 public:
  explicit header_reader(const record_view& r) : cursor_(r.header_bytes), left_(r.header_count) {}
  bool next(record_header_view& out);

 private:
  byte_cursor cursor_;
  int32_t left_;
};

class record_reader {
 public:
  // `records`: the uncompressed records section; `records_count`: the batch header's count.
  record_reader(std::span<const uint8_t> records, int32_t records_count)
      : cursor_(records), expected_(records_count) {}

  // The next record, or false at the end or on the first malformed record;
  // error() then tells which (nullopt: exactly records_count records, no bytes left).
  bool next(record_view& out);
  std::optional<record_error> error() const { return error_; }
  int32_t records_read() const { return read_; }

 private:
  byte_cursor cursor_;
  int32_t expected_;
  int32_t read_ = 0;
  bool done_ = false;
  std::optional<record_error> error_;
};

// Parses one record at the cursor; false if it is malformed. Exposed for tests.
bool parse_record(byte_cursor& cursor, record_view& out);

}  // namespace samsa::protocol
