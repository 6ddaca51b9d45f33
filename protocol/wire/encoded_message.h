#pragma once

// An encoded Kafka message ready to send: contiguous bytes, with byte sources
// spliced in at recorded positions. Splicing is how Fetch responses carry log
// data without copying it through user space: a file-backed source is sent
// with sendfile(2) between the surrounding buffer pieces.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "protocol/wire/byte_buffer.h"

namespace samsa::protocol {

// A range of an open file; the source that returns it keeps the descriptor open.
struct file_slice {
  int fd;
  off_t offset;
  size_t length;
};

// Bytes that are not copied into the encode buffer.
class spliced_source {
 public:
  virtual ~spliced_source() = default;
  virtual size_t size() const = 0;
  // Copies exactly size() bytes to dst. Used where splicing is impossible
  // (TLS, tests, flattening for a capture).
  virtual void copy_to(uint8_t* dst) const = 0;
  // A file range for sendfile(2), when the bytes live in a file.
  virtual std::optional<file_slice> as_file_slice() const { return std::nullopt; }
};

struct splice_point {
  // Position in encoded_message::bytes before which the source's bytes go.
  size_t position;
  std::shared_ptr<const spliced_source> source;
};

// Invariant: splice positions are non-decreasing and <= bytes.size().
struct encoded_message {
  byte_buffer bytes;  // std::vector<uint8_t> with uninitialised resize
  std::vector<splice_point> splices;

  size_t total_size() const {
    size_t n = bytes.size();
    for (const auto& s : splices) n += s.source->size();
    return n;
  }

  // All bytes in wire order, splices copied in.
  std::vector<uint8_t> flatten() const {
    std::vector<uint8_t> out(total_size());
    size_t in = 0, o = 0;
    for (const auto& s : splices) {
      size_t n = s.position - in;
      if (n) std::copy(bytes.begin() + in, bytes.begin() + in + n, out.begin() + o);
      in += n;
      o += n;
      s.source->copy_to(out.data() + o);
      o += s.source->size();
    }
    std::copy(bytes.begin() + in, bytes.end(), out.begin() + o);
    return out;
  }
};

}  // namespace samsa::protocol
