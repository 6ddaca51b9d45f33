#include "protocol/records/record_reader.h"

namespace samsa::protocol {
namespace {

// A nullable byte string: negative length means null (Kafka's Utils.readBytes).
// Forced inline: three calls per record on the append path.
[[gnu::always_inline]] inline bool read_nullable(byte_cursor& c, nullable_bytes& out) {
  int32_t len = 0;
  if (!c.read_varint(len)) return false;
  if (len < 0) {
    out.reset();
    return true;
  }
  std::span<const uint8_t> bytes;
  if (!c.read_bytes(static_cast<size_t>(len), bytes)) return false;
  out = bytes;
  return true;
}

bool read_header(byte_cursor& c, record_header_view& out) {
  int32_t key_len = 0;
  if (!c.read_varint(key_len) || key_len < 0) return false;
  if (!c.read_bytes(static_cast<size_t>(key_len), out.key)) return false;
  return read_nullable(c, out.value);
}

}  // namespace

bool parse_record(byte_cursor& cursor, record_view& out) {
  const size_t start = cursor.position();
  int32_t length = 0;
  if (!cursor.read_varint(length) || length < 0) return false;
  std::span<const uint8_t> body;
  if (!cursor.read_bytes(static_cast<size_t>(length), body)) return false;

  byte_cursor b(body);
  if (!b.read_int8(out.attributes) || !b.read_varlong(out.timestamp_delta) || !b.read_varint(out.offset_delta)) {
    return false;
  }
  if (!read_nullable(b, out.key) || !read_nullable(b, out.value)) return false;
  if (!b.read_varint(out.header_count) || out.header_count < 0) return false;
  // Each header takes at least two bytes; this bounds the loop before it starts.
  if (static_cast<size_t>(out.header_count) > b.remaining()) return false;
  const size_t headers_start = b.position();
  for (int32_t i = 0; i < out.header_count; ++i) {
    record_header_view h;
    if (!read_header(b, h)) return false;
  }
  out.header_bytes = body.subspan(headers_start, b.position() - headers_start);
  if (b.remaining() != 0) return false;  // the record must end where its length says
  out.size_bytes = cursor.position() - start;
  return true;
}

bool header_reader::next(record_header_view& out) {
  if (left_ <= 0) return false;
  --left_;
  return read_header(cursor_, out);  // cannot fail: record_reader validated these bytes
}

bool record_reader::next(record_view& out) {
  if (done_) return false;
  auto stop = [&](std::optional<record_error> e) {
    error_ = e;
    done_ = true;
    return false;
  };
  if (expected_ < 0) return stop(record_error::record_count_mismatch);
  if (read_ == expected_) {
    return stop(cursor_.remaining() == 0 ? std::nullopt : std::optional(record_error::record_count_mismatch));
  }
  if (cursor_.remaining() == 0) return stop(record_error::record_count_mismatch);
  if (!parse_record(cursor_, out)) return stop(record_error::invalid_record);
  ++read_;
  return true;
}

}  // namespace samsa::protocol
