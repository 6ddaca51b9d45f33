#pragma once

// A tagged field this version of Samsa does not know. It is kept as raw bytes
// and written back unchanged, so proxies and newer clients lose nothing.

#include <cstdint>
#include <vector>

namespace samsa::protocol {

struct raw_tagged_field {
  uint32_t tag = 0;
  std::vector<uint8_t> data;
  bool operator==(const raw_tagged_field&) const = default;
};

}  // namespace samsa::protocol
