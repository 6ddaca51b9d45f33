#pragma once

// Kafka's framing on the read side: a 4-byte big-endian size N, then N bytes.
// Pure state, no I/O: the connection asks where the next read may put bytes,
// reads, and reports how many arrived. Each frame is read straight into one
// buffer of exactly its size; nothing is copied after the read.
//
// Phases:
//   header  - reading (part of) the 4-byte size.
//   sized   - a valid size is known; waiting for provide_body() (the
//             connection first admits the frame against its memory budgets).
//   body    - reading into the frame buffer. The read may also take the next
//             frame's 4-byte size, so a burst of small pipelined frames costs
//             one read system call per frame rather than two.
//   invalid - the size was negative or above the maximum: the connection must
//             be closed (Kafka's InvalidReceiveException).
// A completed frame waits in take_frame() whatever the phase is.
//
// Thread-safety: none; owned by one connection on its shard.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

namespace samsa::broker::net {

class frame_reader {
 public:
  enum class phase { header, sized, body, invalid };

  struct frame {
    std::shared_ptr<uint8_t[]> bytes;
    size_t size = 0;
  };

  // Precondition: max_frame_bytes >= 0 (socket.request.max.bytes).
  explicit frame_reader(int32_t max_frame_bytes);

  phase current() const { return phase_; }

  // In phase sized: the size of the frame to admit. In phase invalid: the
  // size that was refused.
  int32_t frame_size() const { return size_; }

  // Up to two places the next read may fill, in order; returns how many (0 in
  // phases sized and invalid, where nothing may be read).
  size_t next_read(std::array<std::span<uint8_t>, 2>& out);

  // Records that n bytes arrived in the places last returned by next_read().
  // Precondition: n <= their total size.
  void commit(size_t n);

  // Phase sized -> body (or straight to a completed frame when the size is 0).
  // Precondition: phase sized; bytes holds frame_size() bytes (may be null
  // when the size is 0).
  void provide_body(std::shared_ptr<uint8_t[]> bytes);

  // The completed frame, if any. At most one is held at a time: next_read()
  // offers no body space while one waits.
  std::optional<frame> take_frame();

  // Drops any partial frame and buffer (closing connection).
  void reset();

 private:
  void header_complete();

  const int32_t max_frame_bytes_;
  phase phase_ = phase::header;
  std::array<uint8_t, 4> header_{};
  size_t header_have_ = 0;  // Invariant: <= 4; bytes of header_ filled
  int32_t size_ = 0;
  std::shared_ptr<uint8_t[]> body_;
  size_t body_have_ = 0;  // Invariant: in phase body, < size_
  std::optional<frame> ready_;
};

}  // namespace samsa::broker::net
