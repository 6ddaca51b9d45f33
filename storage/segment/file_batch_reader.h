#pragma once

// Walks the record batches of a segment file between two positions, reading
// through a window buffer: header-only (offset translation, size checks) or
// whole batches (recovery, cleaning, producer-state rebuilds), with CRC checks
// when asked. Batch parsing is protocol/records' (batch_header, batch_view).
//
// Stops at the first batch that is partial (reaches past `end`), malformed or
// (verify_crc) corrupt; stop_reason() then says why and position() is where that
// batch starts, so [start, position()) is the valid prefix.
//
// Thread-safety: none; the file may be shared (positional reads only).

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "protocol/records/batch_header.h"
#include "protocol/records/batch_view.h"
#include "storage/io/file_system.h"

namespace samsa::storage {

enum class batch_read_mode : uint8_t { headers, whole_batches };

enum class batch_stop : uint8_t {
  end,        // clean end: exactly at `end`
  partial,    // the last batch reaches past `end` (a torn tail)
  invalid,    // bad magic / length (protocol::record_error in record_error())
  corrupt,    // CRC mismatch (verify_crc only)
  io_error,   // a read failed (io_error() has it)
};

class file_batch_reader {
 public:
  file_batch_reader(const io::file& f, uint64_t start, uint64_t end, batch_read_mode mode, bool verify_crc = false,
                    size_t chunk_bytes = 64 * 1024);

  // The next batch; false when the walk stopped (see stop_reason()).
  bool next();

  const protocol::batch_header& header() const { return header_; }
  // Whole-batch mode: the current batch's bytes, valid until the next call.
  protocol::batch_view view() const;
  // Start of the current batch, or where the walk stopped.
  uint64_t position() const { return position_; }
  // End of the current batch.
  uint64_t next_position() const { return position_ + static_cast<uint64_t>(header_.size_bytes()); }

  batch_stop stop_reason() const { return stop_; }
  const std::optional<error>& io_failure() const { return io_error_; }

 private:
  // Makes [p, p + n) available in the window; false on a short read or I/O error.
  bool ensure(uint64_t p, size_t n);
  bool stop(batch_stop why);

  const io::file& file_;
  uint64_t end_;
  batch_read_mode mode_;
  bool verify_crc_;
  size_t chunk_;
  std::vector<uint8_t> buf_;
  uint64_t win_pos_ = 0;
  size_t win_len_ = 0;
  uint64_t position_;
  bool started_ = false;
  bool done_ = false;
  protocol::batch_header header_;
  batch_stop stop_ = batch_stop::end;
  std::optional<error> io_error_;
};

}  // namespace samsa::storage
