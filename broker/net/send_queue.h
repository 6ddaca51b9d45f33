#pragma once

// Responses waiting to be written to one socket, in order. Each is sent as
// Kafka frames it: a 4-byte big-endian size, then the encoded message.
//
// Memory pieces go out with one gathering sendmsg(2) (several small
// responses coalesce into one system call); spliced sources that expose a
// file_slice go out with sendfile(2), the kernel copying file pages to the
// socket; other spliced sources are copied once, when queued (copy_to).
//
// Thread-safety: none; owned by one connection on its shard.
// Invariant: every queued entry has at least one unsent byte.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "protocol/wire/encoded_message.h"

namespace samsa::broker::net {

class send_queue {
 public:
  enum class status { drained, would_block, failed };
  struct write_result {
    status what = status::drained;
    int error = 0;     // errno when failed
    size_t bytes = 0;  // bytes written by this call
  };

  send_queue();
  ~send_queue();
  send_queue(send_queue&&) noexcept;
  send_queue& operator=(send_queue&&) noexcept;

  // Queues a response. Returns false, queueing nothing, when it is too large
  // for a Kafka frame (more than 2^31-1 bytes).
  bool push(uint64_t seq, protocol::encoded_message message);

  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }

  // Writes to the non-blocking socket fd until everything is written, the
  // socket would block, or writing fails. The sequence number of each
  // response written in full is appended to `sent`, in order.
  write_result write(int fd, std::vector<uint64_t>& sent);

  void clear();

 private:
  struct segment {
    const uint8_t* data = nullptr;  // memory piece, when fd < 0
    size_t length = 0;
    int fd = -1;                    // file piece, when >= 0
    off_t file_offset = 0;
  };
  struct entry;

  void advance(size_t n, std::vector<uint64_t>& sent);
  ssize_t send_memory(int fd);
  ssize_t send_file(int fd);

  std::deque<std::unique_ptr<entry>> entries_;
};

}  // namespace samsa::broker::net
