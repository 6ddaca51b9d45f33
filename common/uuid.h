#pragma once

// A 128-bit identifier as Kafka uses for topic ids and directory ids. The zero
// value is Kafka's Uuid.ZERO_UUID ("no id").

#include <array>
#include <cstdint>
#include <string>

namespace samsa {

struct uuid {
  std::array<uint8_t, 16> bytes{};

  bool is_zero() const {
    for (uint8_t b : bytes)
      if (b) return false;
    return true;
  }
  bool operator==(const uuid&) const = default;
  auto operator<=>(const uuid&) const = default;

  // Kafka's textual form: URL-safe base64 without padding (22 characters).
  std::string to_base64() const {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve(22);
    uint32_t acc = 0;
    int bits = 0;
    for (uint8_t b : bytes) {
      acc = (acc << 8) | b;
      bits += 8;
      while (bits >= 6) {
        bits -= 6;
        out.push_back(alphabet[(acc >> bits) & 0x3f]);
      }
    }
    if (bits > 0) out.push_back(alphabet[(acc << (6 - bits)) & 0x3f]);
    return out;
  }
};

}  // namespace samsa
