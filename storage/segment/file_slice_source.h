#pragma once

// A range of a segment file as a spliced_source (protocol/wire/encoded_message.h):
// the network layer sends it with sendfile(2) from as_file_slice(), or copies it
// with copy_to(). Holds the file by shared_ptr, so the descriptor stays open even
// if the segment is deleted, rolled, evicted from the open-file cache or the log
// closed before the response is written.
//
// The range always holds whole batches (partition_log::read guarantees it).
// If the log was truncated below the range after the read (only a leader that
// became a follower truncates), the file is shorter than promised: copy_to fills
// the missing bytes with zeros and sendfile returns short; the network layer
// must then close the connection (Kafka fails the send the same way).
//
// Thread-safety: immutable; any thread may use it.

#include <cstdint>
#include <memory>
#include <optional>

#include "protocol/wire/encoded_message.h"
#include "storage/io/file_system.h"

namespace samsa::storage {

class file_slice_source final : public protocol::spliced_source {
 public:
  file_slice_source(std::shared_ptr<io::file> f, uint64_t offset, size_t length)
      : file_(std::move(f)), offset_(offset), length_(length) {}

  size_t size() const override { return length_; }
  void copy_to(uint8_t* dst) const override;
  std::optional<protocol::file_slice> as_file_slice() const override;

  uint64_t file_offset() const { return offset_; }
  const std::shared_ptr<io::file>& file() const { return file_; }

 private:
  std::shared_ptr<io::file> file_;
  uint64_t offset_;
  size_t length_;
};

}  // namespace samsa::storage
