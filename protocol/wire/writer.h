#pragma once

// Writing Kafka's primitive types into an encoded_message. The buffer grows
// geometrically without zero-filling; records with a spliced source are not
// copied but recorded as splice points.
//
// Invariant: out_.bytes.size() == capacity in use; bytes [0, pos_) are written.
// finish() (or the destructor) trims the buffer to pos_.

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/endian.h"
#include "common/uuid.h"
#include "protocol/wire/encoded_message.h"
#include "protocol/wire/records.h"
#include "protocol/wire/tagged_field.h"

namespace samsa::protocol {

class writer {
 public:
  // Appends to `out`; reserves `size_hint` more bytes up front.
  explicit writer(encoded_message& out, size_t size_hint = 0) : out_(out), pos_(out.bytes.size()) {
    if (size_hint) out_.bytes.resize(pos_ + size_hint);
  }
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;
  ~writer() { finish(); }

  // Trims the buffer to what was written. Idempotent.
  void finish() { out_.bytes.resize(pos_); }
  // Bytes written to the buffer so far (splices excluded).
  size_t position() const { return pos_; }

  void write_int8(int8_t v) { fixed(v); }
  void write_int16(int16_t v) { fixed(v); }
  void write_int32(int32_t v) { fixed(v); }
  void write_int64(int64_t v) { fixed(v); }
  void write_uint16(uint16_t v) { fixed(v); }
  void write_uint32(uint32_t v) { fixed(v); }
  void write_bool(bool v) { fixed<int8_t>(v ? 1 : 0); }
  void write_float64(double v) { fixed(std::bit_cast<uint64_t>(v)); }
  void write_uuid(const uuid& u) { write_raw(u.bytes.data(), 16); }

  void write_uvarint(uint32_t v) {
    uint8_t* p = reserve(5);
    while (v >= 0x80) {
      *p++ = static_cast<uint8_t>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<uint8_t>(v);
    pos_ = static_cast<size_t>(p - out_.bytes.data());
  }
  void write_uvarlong(uint64_t v) {
    uint8_t* p = reserve(10);
    while (v >= 0x80) {
      *p++ = static_cast<uint8_t>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<uint8_t>(v);
    pos_ = static_cast<size_t>(p - out_.bytes.data());
  }
  void write_varint(int32_t v) { write_uvarint((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31)); }
  void write_varlong(int64_t v) { write_uvarlong((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }

  void write_raw(const void* data, size_t n) {
    if (n == 0) return;
    std::memcpy(reserve(n), data, n);
    pos_ += n;
  }

  // Length prefixes: compact = unsigned varint of length+1; otherwise int16 for
  // strings and int32 for bytes, arrays and records. Null is -1 (compact: 0).
  void write_length(size_t n, bool compact, bool int16_length) {
    if (compact) {
      write_uvarint(static_cast<uint32_t>(n + 1));
    } else if (int16_length) {
      write_int16(static_cast<int16_t>(n));
    } else {
      write_int32(static_cast<int32_t>(n));
    }
  }
  void write_null_length(bool compact, bool int16_length) {
    if (compact) {
      write_uvarint(0);
    } else if (int16_length) {
      write_int16(-1);
    } else {
      write_int32(-1);
    }
  }

  void write_string(std::string_view s, bool compact) {
    write_length(s.size(), compact, true);
    write_raw(s.data(), s.size());
  }
  // A null value in a version where the field is not nullable is written as
  // empty: the message stays well-formed (Kafka's Java encoder would throw).
  void write_string(const std::optional<std::string>& s, bool compact, bool nullable) {
    if (!s) {
      if (nullable) return write_null_length(compact, true);
      return write_string(std::string_view(), compact);
    }
    write_string(*s, compact);
  }
  void write_bytes(std::span<const uint8_t> b, bool compact) {
    write_length(b.size(), compact, false);
    write_raw(b.data(), b.size());
  }
  void write_bytes(const std::optional<std::vector<uint8_t>>& b, bool compact, bool nullable) {
    if (!b) {
      if (nullable) return write_null_length(compact, false);
      return write_bytes(std::span<const uint8_t>(), compact);
    }
    write_bytes(*b, compact);
  }
  void write_records(const records& r, bool compact, bool nullable) {
    if (r.is_null()) {
      if (nullable) return write_null_length(compact, false);
      return write_length(0, compact, false);
    }
    write_length(r.size(), compact, false);
    if (r.is_spliced()) {
      if (r.size()) out_.splices.push_back(splice_point{pos_, r.source()});
    } else {
      write_raw(r.view().data(), r.view().size());
    }
  }

  // Writes unknown tagged fields, starting at index `next`, whose tag is below
  // `below`; returns the index of the first one not written. Mirrors Kafka's
  // RawTaggedFieldWriter so unknown fields interleave with known ones by tag.
  size_t write_unknown_tags_below(const std::vector<raw_tagged_field>& fields, size_t next, uint64_t below) {
    while (next < fields.size() && fields[next].tag < below) {
      write_uvarint(fields[next].tag);
      write_uvarint(static_cast<uint32_t>(fields[next].data.size()));
      write_raw(fields[next].data.data(), fields[next].data.size());
      ++next;
    }
    return next;
  }

 private:
  // Returns a pointer to n writable bytes at pos_ (not advancing pos_).
  uint8_t* reserve(size_t n) {
    if (out_.bytes.size() - pos_ < n) grow(n);
    return out_.bytes.data() + pos_;
  }
  void grow(size_t n) {
    size_t want = std::max(out_.bytes.size() * 2, pos_ + n);
    out_.bytes.resize(std::max<size_t>(want, 256));
  }
  template <typename T>
  void fixed(T v) {
    store_be<T>(reserve(sizeof(T)), v);
    pos_ += sizeof(T);
  }

  encoded_message& out_;
  size_t pos_;
};

// Encoded sizes, matching writer byte for byte.
inline size_t uvarint_size(uint32_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}
inline size_t uvarlong_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}
inline size_t varint_size(int32_t v) {
  return uvarint_size((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31));
}
inline size_t varlong_size(int64_t v) {
  return uvarlong_size((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}
inline size_t length_size(size_t n, bool compact, bool int16_length) {
  return compact ? uvarint_size(static_cast<uint32_t>(n + 1)) : (int16_length ? 2 : 4);
}
inline size_t string_size(std::string_view s, bool compact) { return length_size(s.size(), compact, true) + s.size(); }
inline size_t string_size(const std::optional<std::string>& s, bool compact, bool nullable) {
  if (!s) return nullable ? length_size(0, compact, true) : string_size(std::string_view(), compact);
  return string_size(*s, compact);
}
inline size_t bytes_size(std::span<const uint8_t> b, bool compact) { return length_size(b.size(), compact, false) + b.size(); }
inline size_t bytes_size(const std::optional<std::vector<uint8_t>>& b, bool compact, bool nullable) {
  if (!b) return length_size(0, compact, false);
  return bytes_size(*b, compact);
}
inline size_t records_size(const records& r, bool compact, bool nullable) {
  if (r.is_null()) return length_size(0, compact, false);
  return length_size(r.size(), compact, false) + r.size();
}
inline size_t unknown_tags_size(const std::vector<raw_tagged_field>& fields) {
  size_t n = 0;
  for (const auto& f : fields) n += uvarint_size(f.tag) + uvarint_size(static_cast<uint32_t>(f.data.size())) + f.data.size();
  return n;
}

}  // namespace samsa::protocol
