#pragma once

// Splits a buffer of concatenated RecordBatches (the `records` field of Produce
// and Fetch, or a log segment) into batches, checking each one.
//
// Checks at each batch, in this order (Kafka's ByteBufferLogInputStream order):
//   1. fewer than 12 bytes left                   -> partial_batch
//   2. batchLength negative                        -> invalid_length
//   3. fewer than 17 bytes left (magic unseen)     -> partial_batch
//   4. magic 0 or 1                                -> unsupported_magic
//      any other magic but 2                       -> invalid_magic
//   5. batchLength < 49                            -> invalid_length
//   6. batch reaches past the end of the buffer    -> partial_batch
//   7. CRC-32C mismatch (unless crc_check::skip)   -> corrupt_crc
// Iteration stops at the first failure. A Fetch response may legitimately end in
// a partial batch; a Produce request may not: the caller decides.
//
// Not thread-safe; cheap to create. The buffer must outlive the iterator.

#include <cstddef>
#include <optional>
#include <span>

#include "protocol/records/batch_view.h"
#include "protocol/records/record_error.h"

namespace samsa::protocol {

enum class crc_check : bool { skip = false, verify = true };

class batch_iterator {
 public:
  explicit batch_iterator(std::span<const uint8_t> buffer, crc_check check = crc_check::verify)
      : buffer_(buffer), check_(check) {}

  // Advances to the next batch. Returns false at the end of the buffer or at the
  // first bad batch; error() then says which (nullopt for a clean end).
  bool next();

  // Precondition: the last call to next() returned true.
  const batch_view& batch() const;

  std::optional<record_error> error() const { return error_; }

  // Bytes taken by the batches returned so far; on failure, where the bad or
  // partial batch starts (so buffer.first(position()) is the valid prefix).
  size_t position() const { return position_; }

 private:
  std::span<const uint8_t> buffer_;
  crc_check check_;
  size_t position_ = 0;  // Invariant: position_ <= buffer_.size().
  std::optional<batch_view> current_;
  std::optional<record_error> error_;
  bool done_ = false;
};

}  // namespace samsa::protocol
