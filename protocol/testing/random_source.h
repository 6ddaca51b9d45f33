#pragma once

// Deterministic random field values for round-trip tests of generated
// messages. One seed gives one message, on every machine.

#include <cstdint>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "common/uuid.h"
#include "protocol/wire/records.h"
#include "protocol/wire/tagged_field.h"

namespace samsa::protocol::testing {

class random_source {
 public:
  explicit random_source(uint64_t seed) : rng_(seed) {}

  template <typename T>
  T value() {
    if constexpr (std::is_same_v<T, bool>) {
      return (rng_() & 1) != 0;
    } else if constexpr (std::is_floating_point_v<T>) {
      return std::uniform_real_distribution<double>(-1e9, 1e9)(rng_);
    } else {
      // Mostly small values (which exercise short varints), sometimes extremes.
      switch (rng_() % 4) {
        case 0: return static_cast<T>(rng_() % 16);
        case 1: return static_cast<T>(-static_cast<int64_t>(rng_() % 4));
        default: return static_cast<T>(rng_());
      }
    }
  }

  uuid id() {
    uuid u;
    for (auto& b : u.bytes) b = static_cast<uint8_t>(rng_());
    return u;
  }

  std::string text() {
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._";
    std::string s(rng_() % 9, ' ');
    for (auto& c : s) c = alphabet[rng_() % (sizeof(alphabet) - 1)];
    return s;
  }

  std::vector<uint8_t> blob() {
    std::vector<uint8_t> b(rng_() % 9);
    for (auto& x : b) x = static_cast<uint8_t>(rng_());
    return b;
  }

  records record_bytes() {
    std::vector<uint8_t> b(rng_() % 33);
    for (auto& x : b) x = static_cast<uint8_t>(rng_());
    return records::owned(std::move(b));
  }

  // An array length: 0 to 3.
  size_t count() { return rng_() % 4; }
  // True once in `one_in` times.
  bool chance(int one_in) { return rng_() % static_cast<uint64_t>(one_in) == 0; }

  // Sometimes adds tagged fields no schema knows (tags from 1000 upward, in
  // order), to check that they survive decoding and encoding.
  void unknown_tags(std::vector<raw_tagged_field>& out) {
    if (!chance(3)) return;
    uint32_t tag = 1000 + static_cast<uint32_t>(rng_() % 50);
    for (size_t i = 0, n = 1 + rng_() % 2; i < n; ++i) {
      out.push_back(raw_tagged_field{tag, blob()});
      tag += 1 + static_cast<uint32_t>(rng_() % 1000);
    }
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace samsa::protocol::testing
