#pragma once

// The `records` field type of Produce, Fetch and FetchSnapshot: record-batch
// bytes that the codec never copies. Decoding borrows a view into the request
// buffer (kept alive by `owner`); a response may instead splice a source such
// as a log-file range that is sent with sendfile(2).
//
// Null and empty are different on the wire (-1 versus 0 length).

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "protocol/wire/encoded_message.h"

namespace samsa::protocol {

class records {
 public:
  records() = default;  // null

  // A view into bytes owned by `owner` (or by the caller when owner is null).
  static records borrowed(std::span<const uint8_t> bytes, std::shared_ptr<const void> owner = {}) {
    records r;
    r.present_ = true;
    r.view_ = bytes;
    r.owner_ = std::move(owner);
    return r;
  }
  static records owned(std::vector<uint8_t> bytes) {
    auto holder = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
    return borrowed(std::span<const uint8_t>(holder->data(), holder->size()), holder);
  }
  static records spliced(std::shared_ptr<const spliced_source> source) {
    records r;
    r.present_ = true;
    r.source_ = std::move(source);
    return r;
  }

  bool is_null() const { return !present_; }
  bool is_spliced() const { return source_ != nullptr; }
  size_t size() const { return source_ ? source_->size() : view_.size(); }
  // Precondition: !is_spliced().
  std::span<const uint8_t> view() const { return view_; }
  const std::shared_ptr<const spliced_source>& source() const { return source_; }
  const std::shared_ptr<const void>& owner() const { return owner_; }

  // Content equality (null equals only null).
  bool operator==(const records& o) const {
    if (present_ != o.present_) return false;
    if (!present_) return true;
    if (size() != o.size()) return false;
    if (!source_ && !o.source_) return size() == 0 || std::memcmp(view_.data(), o.view_.data(), size()) == 0;
    std::vector<uint8_t> a = contents(), b = o.contents();
    return a == b;
  }

  std::vector<uint8_t> contents() const {
    if (!source_) return std::vector<uint8_t>(view_.begin(), view_.end());
    std::vector<uint8_t> out(source_->size());
    source_->copy_to(out.data());
    return out;
  }

 private:
  bool present_ = false;
  std::span<const uint8_t> view_;
  std::shared_ptr<const void> owner_;
  std::shared_ptr<const spliced_source> source_;
};

}  // namespace samsa::protocol
