#include "storage/segment/file_batch_reader.h"

#include <algorithm>
#include <cstring>

#include "common/endian.h"

namespace samsa::storage {

using namespace protocol::batch_layout;

file_batch_reader::file_batch_reader(const io::file& f, uint64_t start, uint64_t end, batch_read_mode mode,
                                     bool verify_crc, size_t chunk_bytes)
    : file_(f), end_(end), mode_(mode), verify_crc_(verify_crc), chunk_(chunk_bytes), position_(start) {}

bool file_batch_reader::stop(batch_stop why) {
  stop_ = why;
  done_ = true;
  return false;
}

bool file_batch_reader::ensure(uint64_t p, size_t n) {
  if (p >= win_pos_ && p + n <= win_pos_ + win_len_) return true;
  const uint64_t avail = end_ > p ? end_ - p : 0;
  const size_t want = static_cast<size_t>(std::min<uint64_t>(std::max(n, chunk_), avail));
  if (want < n) return false;
  if (buf_.size() < want) buf_.resize(want);
  auto got = file_.pread(p, std::span<uint8_t>(buf_.data(), want));
  if (!got) {
    io_error_ = got.error();
    return false;
  }
  win_pos_ = p;
  win_len_ = *got;
  return *got >= n;
}

bool file_batch_reader::next() {
  if (done_) return false;
  if (started_) position_ = next_position();
  started_ = true;
  if (position_ >= end_) return stop(batch_stop::end);
  const uint64_t left = end_ - position_;
  if (left < kHeaderSize) {
    if (!ensure(position_, static_cast<size_t>(left))) return stop(io_error_ ? batch_stop::io_error : batch_stop::partial);
    // Fewer bytes than a header: a torn tail unless the bytes are not even a batch start.
    return stop(batch_stop::partial);
  }
  if (!ensure(position_, kHeaderSize)) return stop(io_error_ ? batch_stop::io_error : batch_stop::partial);
  const uint8_t* h = buf_.data() + (position_ - win_pos_);
  auto parsed = protocol::parse_batch_header(std::span<const uint8_t>(h, kHeaderSize));
  if (!parsed) return stop(batch_stop::invalid);
  header_ = *parsed;
  if (static_cast<uint64_t>(header_.size_bytes()) > left) return stop(batch_stop::partial);
  if (mode_ == batch_read_mode::whole_batches || verify_crc_) {
    if (!ensure(position_, static_cast<size_t>(header_.size_bytes()))) {
      return stop(io_error_ ? batch_stop::io_error : batch_stop::partial);
    }
    if (verify_crc_ && !view().crc_matches()) return stop(batch_stop::corrupt);
  }
  return true;
}

protocol::batch_view file_batch_reader::view() const {
  const uint8_t* p = buf_.data() + (position_ - win_pos_);
  return protocol::batch_view::from_prefix(std::span<const uint8_t>(p, static_cast<size_t>(header_.size_bytes())))
      .value();
}

}  // namespace samsa::storage
