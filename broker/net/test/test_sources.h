#pragma once

// Spliced sources for tests: bytes in memory, and bytes in a temporary file
// (which offers a file_slice, so the send path uses sendfile(2)).

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/assert.h"
#include "protocol/wire/encoded_message.h"

namespace samsa::broker::net::testing {

class memory_source final : public protocol::spliced_source {
 public:
  explicit memory_source(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  size_t size() const override { return bytes_.size(); }
  void copy_to(uint8_t* dst) const override { std::memcpy(dst, bytes_.data(), bytes_.size()); }

 private:
  std::vector<uint8_t> bytes_;
};

// A temporary file holding `contents`, unlinked at once; the descriptor
// lives as long as the object.
class temp_file {
 public:
  explicit temp_file(const std::vector<uint8_t>& contents) {
    char name[] = "/tmp/samsa-net-test-XXXXXX";
    fd_ = ::mkstemp(name);
    SAMSA_ASSERT(fd_ >= 0, "mkstemp failed");
    ::unlink(name);
    size_t done = 0;
    while (done < contents.size()) {
      ssize_t n = ::write(fd_, contents.data() + done, contents.size() - done);
      SAMSA_ASSERT(n > 0, "writing the temp file failed");
      done += static_cast<size_t>(n);
    }
  }
  ~temp_file() { ::close(fd_); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

class file_source final : public protocol::spliced_source {
 public:
  file_source(std::shared_ptr<temp_file> file, off_t offset, size_t length)
      : file_(std::move(file)), offset_(offset), length_(length) {}
  size_t size() const override { return length_; }
  void copy_to(uint8_t* dst) const override {
    ssize_t n = ::pread(file_->fd(), dst, length_, offset_);
    SAMSA_ASSERT(n == static_cast<ssize_t>(length_), "pread of the temp file failed");
  }
  std::optional<protocol::file_slice> as_file_slice() const override {
    return protocol::file_slice{file_->fd(), offset_, length_};
  }

 private:
  std::shared_ptr<temp_file> file_;
  off_t offset_;
  size_t length_;
};

inline std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 31 + (i >> 8));
  return v;
}

inline protocol::encoded_message message_of(const std::vector<uint8_t>& bytes) {
  protocol::encoded_message m;
  m.bytes.assign(bytes.begin(), bytes.end());
  return m;
}

}  // namespace samsa::broker::net::testing
