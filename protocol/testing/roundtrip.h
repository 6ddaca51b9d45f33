#pragma once

// Round-trip checks over any generated message type, instantiated by the
// generated registry for every message.

#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "protocol/testing/random_source.h"
#include "protocol/wire/encoded_message.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace samsa::protocol::testing {

template <typename T>
std::vector<uint8_t> encode_flat(const T& msg, int16_t version) {
  encoded_message em;
  {
    writer w(em, msg.encoded_size(version));
    msg.encode(w, version);
  }
  return em.flatten();
}

template <typename T>
std::string decode_exact(std::span<const uint8_t> bytes, int16_t version, T& out) {
  reader r(bytes);
  out.decode(r, version);
  if (!r.ok()) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "decode failed: %s at byte %zu", to_string(r.error()), r.error_position());
    return buf;
  }
  if (r.remaining()) return "decode left " + std::to_string(r.remaining()) + " trailing bytes";
  return {};
}

template <typename T>
std::string decode_and_reencode(std::span<const uint8_t> body, int16_t version, std::vector<uint8_t>& out) {
  if (version < T::min_version || version > T::max_version) return "version out of range";
  T msg;
  if (auto err = decode_exact(body, version, msg); !err.empty()) return err;
  out = encode_flat(msg, version);
  if (msg.encoded_size(version) != out.size()) return "encoded_size disagrees with encode";
  return {};
}

template <typename T>
std::vector<uint8_t> random_encoded(int16_t version, uint64_t seed) {
  random_source g(seed);
  T a;
  randomize(a, g, version);
  return encode_flat(a, version);
}

template <typename T>
std::string random_roundtrip(int16_t version, uint64_t seed) {
  random_source g(seed);
  T a;
  randomize(a, g, version);
  std::vector<uint8_t> first = encode_flat(a, version);
  if (a.encoded_size(version) != first.size())
    return "encoded_size " + std::to_string(a.encoded_size(version)) + " != encoded " + std::to_string(first.size());
  T b;
  if (auto err = decode_exact(first, version, b); !err.empty()) return err;
  if (!(a == b)) return "decoded value differs from the encoded one";
  if (encode_flat(b, version) != first) return "re-encoding gives different bytes";
  return {};
}

}  // namespace samsa::protocol::testing
