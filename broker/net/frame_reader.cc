#include "broker/net/frame_reader.h"

#include "common/assert.h"
#include "common/endian.h"

namespace samsa::broker::net {

frame_reader::frame_reader(int32_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {
  SAMSA_ASSERT(max_frame_bytes >= 0, "max frame bytes must not be negative");
}

size_t frame_reader::next_read(std::array<std::span<uint8_t>, 2>& out) {
  if (ready_) return 0;  // the waiting frame must be taken first
  switch (phase_) {
    case phase::header:
      out[0] = std::span<uint8_t>(header_.data() + header_have_, header_.size() - header_have_);
      return 1;
    case phase::body:
      out[0] = std::span<uint8_t>(body_.get() + body_have_, static_cast<size_t>(size_) - body_have_);
      out[1] = std::span<uint8_t>(header_.data(), header_.size());  // header_have_ is 0 in phase body
      return 2;
    case phase::sized:
    case phase::invalid:
      return 0;
  }
  return 0;
}

void frame_reader::commit(size_t n) {
  if (phase_ == phase::header) {
    SAMSA_ASSERT(n <= header_.size() - header_have_, "commit beyond the offered header space");
    header_have_ += n;
    if (header_have_ == header_.size()) header_complete();
    return;
  }
  SAMSA_ASSERT(phase_ == phase::body, "commit with nothing offered");
  const size_t body_left = static_cast<size_t>(size_) - body_have_;
  const size_t to_body = n < body_left ? n : body_left;
  body_have_ += to_body;
  if (body_have_ < static_cast<size_t>(size_)) return;
  ready_ = frame{std::move(body_), static_cast<size_t>(size_)};
  body_have_ = 0;
  header_have_ = n - to_body;
  SAMSA_ASSERT(header_have_ <= header_.size(), "commit beyond the offered look-ahead");
  phase_ = phase::header;
  if (header_have_ == header_.size()) header_complete();
}

void frame_reader::header_complete() {
  size_ = load_be<int32_t>(header_.data());
  header_have_ = 0;
  phase_ = (size_ < 0 || size_ > max_frame_bytes_) ? phase::invalid : phase::sized;
}

void frame_reader::provide_body(std::shared_ptr<uint8_t[]> bytes) {
  SAMSA_ASSERT(phase_ == phase::sized, "provide_body outside phase sized");
  SAMSA_ASSERT(!ready_, "provide_body while a frame waits to be taken");
  if (size_ == 0) {
    ready_ = frame{std::move(bytes), 0};
    phase_ = phase::header;
    return;
  }
  SAMSA_ASSERT(bytes != nullptr, "a non-empty frame needs a buffer");
  body_ = std::move(bytes);
  body_have_ = 0;
  phase_ = phase::body;
}

std::optional<frame_reader::frame> frame_reader::take_frame() {
  std::optional<frame> f = std::move(ready_);
  ready_.reset();
  return f;
}

void frame_reader::reset() {
  phase_ = phase::header;
  header_have_ = 0;
  size_ = 0;
  body_.reset();
  body_have_ = 0;
  ready_.reset();
}

}  // namespace samsa::broker::net
