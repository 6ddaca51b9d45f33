#pragma once

// One request as it came off the wire: the bytes after Kafka's 4-byte size
// (request header and body), in one buffer of exactly that size.
//
// The bytes are immutable once handed out. Sharing owner() lets decoded
// requests keep pointing into the frame (a Produce's record batches) without
// copying. The frame's memory stays charged to the connection's and the
// broker's budgets until every owner has let go or the response to the
// request has been written, whichever comes first.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace samsa::broker::net {

class request_frame {
 public:
  request_frame() = default;
  request_frame(std::shared_ptr<const uint8_t[]> bytes, size_t size) : bytes_(std::move(bytes)), size_(size) {}

  const uint8_t* data() const { return bytes_.get(); }
  size_t size() const { return size_; }
  std::span<const uint8_t> bytes() const { return {bytes_.get(), size_}; }
  const std::shared_ptr<const uint8_t[]>& owner() const { return bytes_; }

 private:
  std::shared_ptr<const uint8_t[]> bytes_;
  size_t size_ = 0;
};

}  // namespace samsa::broker::net
