#include "broker/net/send_queue.h"

#include <errno.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <limits>

#include "common/assert.h"
#include "common/endian.h"

namespace samsa::broker::net {
namespace {

// Linux's IOV_MAX; one sendmsg takes at most this many pieces.
constexpr size_t kMaxPieces = 1024;

}  // namespace

struct send_queue::entry {
  uint64_t seq = 0;
  uint8_t size_prefix[4] = {};
  protocol::encoded_message message;
  std::vector<std::unique_ptr<uint8_t[]>> copies;  // spliced sources without a file
  std::vector<segment> segments;
  size_t next = 0;  // Invariant: < segments.size() while queued
  size_t done = 0;  // bytes of segments[next] already written
};

send_queue::send_queue() = default;
send_queue::~send_queue() = default;
send_queue::send_queue(send_queue&&) noexcept = default;
send_queue& send_queue::operator=(send_queue&&) noexcept = default;

void send_queue::clear() { entries_.clear(); }

bool send_queue::push(uint64_t seq, protocol::encoded_message message) {
  const size_t total = message.total_size();
  if (total > static_cast<size_t>(std::numeric_limits<int32_t>::max())) return false;

  auto e = std::make_unique<entry>();
  e->seq = seq;
  e->message = std::move(message);
  store_be<int32_t>(e->size_prefix, static_cast<int32_t>(total));
  e->segments.push_back(segment{e->size_prefix, sizeof(e->size_prefix)});

  const auto& bytes = e->message.bytes;
  size_t in = 0;
  for (const auto& splice : e->message.splices) {
    SAMSA_ASSERT(splice.position >= in && splice.position <= bytes.size(), "splice positions out of order");
    if (splice.position > in) e->segments.push_back(segment{bytes.data() + in, splice.position - in});
    in = splice.position;
    const size_t n = splice.source->size();
    if (n == 0) continue;
    if (auto slice = splice.source->as_file_slice()) {
      SAMSA_ASSERT(slice->length == n, "file slice length differs from the source's size");
      e->segments.push_back(segment{nullptr, n, slice->fd, slice->offset});
    } else {
      auto copy = std::make_unique_for_overwrite<uint8_t[]>(n);
      splice.source->copy_to(copy.get());
      e->segments.push_back(segment{copy.get(), n});
      e->copies.push_back(std::move(copy));
    }
  }
  if (in < bytes.size()) e->segments.push_back(segment{bytes.data() + in, bytes.size() - in});
  entries_.push_back(std::move(e));
  return true;
}

send_queue::write_result send_queue::write(int fd, std::vector<uint64_t>& sent) {
  write_result result;
  while (!entries_.empty()) {
    const entry& front = *entries_.front();
    const bool file = front.segments[front.next].fd >= 0;
    const ssize_t n = file ? send_file(fd) : send_memory(fd);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        result.what = status::would_block;
        return result;
      }
      result.what = status::failed;
      result.error = errno;
      return result;
    }
    if (n == 0) {
      // sendfile(2) found the file shorter than the slice promised (truncated
      // under us); the frame can no longer be completed.
      result.what = status::failed;
      result.error = EIO;
      return result;
    }
    result.bytes += static_cast<size_t>(n);
    advance(static_cast<size_t>(n), sent);
  }
  return result;
}

ssize_t send_queue::send_file(int fd) {
  const entry& front = *entries_.front();
  const segment& seg = front.segments[front.next];
  off_t offset = seg.file_offset + static_cast<off_t>(front.done);
  return ::sendfile(fd, seg.fd, &offset, seg.length - front.done);
}

ssize_t send_queue::send_memory(int fd) {
  iovec pieces[kMaxPieces];
  size_t count = 0;
  bool file_follows = false;
  for (size_t e = 0; e < entries_.size() && count < kMaxPieces && !file_follows; ++e) {
    const entry& en = *entries_[e];
    for (size_t i = (e == 0 ? en.next : 0); i < en.segments.size(); ++i) {
      const segment& seg = en.segments[i];
      if (seg.fd >= 0) {
        file_follows = true;
        break;
      }
      const size_t skip = (e == 0 && i == en.next) ? en.done : 0;
      pieces[count++] = iovec{const_cast<uint8_t*>(seg.data) + skip, seg.length - skip};
      if (count == kMaxPieces) break;
    }
  }
  msghdr msg{};
  msg.msg_iov = pieces;
  msg.msg_iovlen = count;
  // MSG_MORE: the file piece that follows should share packets with this one.
  return ::sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT | (file_follows ? MSG_MORE : 0));
}

void send_queue::advance(size_t n, std::vector<uint64_t>& sent) {
  while (n > 0) {
    SAMSA_ASSERT(!entries_.empty(), "advanced past the queued bytes");
    entry& front = *entries_.front();
    const size_t left = front.segments[front.next].length - front.done;
    const size_t take = std::min(left, n);
    front.done += take;
    n -= take;
    if (front.done < front.segments[front.next].length) continue;
    front.done = 0;
    if (++front.next < front.segments.size()) continue;
    sent.push_back(front.seq);
    entries_.pop_front();
  }
}

}  // namespace samsa::broker::net
