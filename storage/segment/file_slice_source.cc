#include "storage/segment/file_slice_source.h"

#include <cstring>

namespace samsa::storage {

void file_slice_source::copy_to(uint8_t* dst) const {
  auto n = file_->pread(offset_, std::span<uint8_t>(dst, length_));
  const size_t got = n ? *n : 0;
  if (got < length_) std::memset(dst + got, 0, length_ - got);
}

std::optional<protocol::file_slice> file_slice_source::as_file_slice() const {
  const int fd = file_->native_handle();
  if (fd < 0) return std::nullopt;
  return protocol::file_slice{fd, static_cast<off_t>(offset_), length_};
}

}  // namespace samsa::storage
