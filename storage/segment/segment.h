#pragma once

// One log segment (Kafka's LogSegment): <base>.log holding record batches
// exactly as appended, plus its offset, time and transaction indexes.
//
// Lifecycle:
//   active  -> takes appends; indexes live in memory only (their files, if any,
//              are stale or absent and are rewritten when the segment is sealed
//              or the log closes cleanly).
//   sealed  -> seal() wrote the index files (page cache; flush() syncs them) and
//              from then on nothing in the object changes: any thread may read it.
//   A sealed segment that a truncation reaches is never modified in place:
//   reopen_as_active() returns a new active object over the same files, so
//   threads still reading the old object see a consistent (if stale) view.
//   Removed segments are renamed to .deleted and unlinked later by a deleter;
//   holders of the object (readers, file slices) keep working meanwhile.
//
// Thread-safety:
//   - Active segment: every call comes from the owning partition_log under its
//     mutex. Exceptions that any thread may call: base_offset(), size_bytes(),
//     is_sealed(), flush(), log_file().
//   - Sealed segment: every const method, flush() and the file renames
//     (change_suffix/delete_files, which the owning log serialises) may be called
//     from any thread; lazy index loading is internally locked.
//
// Invariants:
//   1. size_bytes() is the end of the last complete batch written; the file may
//      be longer only while preallocated (the tail is zeros).
//   2. Every batch in the file has base offset >= base_offset() and last offset
//      - base_offset() <= INT32_MAX; offsets increase from batch to batch.
//   3. Index entries point at batch starts below size_bytes() (offset_index.h,
//      time_index.h, txn_index.h invariants hold).
//   4. Once sealed, the object never changes (except its file names).

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/kafka_types.h"
#include "protocol/records/batch_view.h"
#include "storage/index/offset_index.h"
#include "storage/index/time_index.h"
#include "storage/index/txn_index.h"
#include "storage/io/file_system.h"
#include "storage/io/open_file_cache.h"
#include "storage/log_config.h"
#include "storage/result.h"

namespace samsa::storage {

struct segment_options {
  int32_t index_interval_bytes = 4096;
  int32_t max_offset_index_entries = 10 * 1024 * 1024 / 8;
  int32_t max_time_index_entries = 10 * 1024 * 1024 / 12;
  int64_t roll_jitter_ms = 0;
  bool preallocate = false;
  int32_t preallocate_bytes = 0;
  // Appends reserve disk blocks ahead of the end of the active segment (see
  // segment::reserve_ahead), never past this size (segment.bytes); 0: they do not.
  int64_t reserve_limit_bytes = 0;

  static segment_options from(const log_config& c, int64_t roll_jitter_ms);
};

struct roll_params {
  int64_t max_segment_ms = 0;
  int32_t max_segment_bytes = 0;
  int64_t max_timestamp_in_messages = -1;
  samsa::offset max_offset_in_messages;
  int32_t messages_size = 0;
  int64_t now_ms = 0;
};

// Where a batch sits in the file (Kafka's LogOffsetPosition).
struct batch_position {
  samsa::offset last_offset;  // last offset of the batch
  uint64_t position = 0;
  uint64_t size = 0;
};

// The byte range a read returns (always whole batches).
struct segment_read {
  uint64_t start_position = 0;
  uint64_t length = 0;
  bool first_entry_incomplete = false;
};

struct timestamp_and_offset {
  int64_t timestamp_ms = -1;
  samsa::offset offset;
  std::optional<samsa::leader_epoch> leader_epoch;
  bool operator==(const timestamp_and_offset&) const = default;
};

class segment : public std::enable_shared_from_this<segment> {
 public:
  // A new, empty, active segment <dir>/<base>.log<suffix>; a stale file of that
  // name is replaced (Kafka deletes it first).
  static result<std::shared_ptr<segment>> create(io::file_system& fs, const std::shared_ptr<io::open_file_cache>& cache,
                                                 const std::string& dir, samsa::offset base,
                                                 const segment_options& opts, int64_t now_ms,
                                                 std::string_view suffix = {});
  // A segment found on disk. `size` is the log file's size; index files are loaded
  // lazily (load_indexes) or rebuilt by recover(). `active` keeps the file open.
  static result<std::shared_ptr<segment>> open_existing(io::file_system& fs, const std::shared_ptr<io::open_file_cache>& cache,
                                                        const std::string& dir, samsa::offset base,
                                                        const segment_options& opts, bool active, int64_t now_ms,
                                                        std::string_view suffix = {});
  ~segment();

  samsa::offset base_offset() const { return base_; }
  uint64_t size_bytes() const { return size_.load(std::memory_order_acquire); }
  bool is_sealed() const { return sealed_.load(std::memory_order_acquire); }
  uint64_t id() const { return id_; }
  std::string log_path() const;
  std::string dir() const { return dir_; }

  // The log file (active: the segment's own handle; sealed: via the open-file cache).
  result<std::shared_ptr<io::file>> log_file() const;

  // How far appends reserve disk blocks ahead of the end (reserve_ahead).
  static constexpr uint64_t kMinReserveStep = 64u << 10;
  static constexpr uint64_t kMaxReserveStep = 16u << 20;
  // start_writeback() waits until this much is written past its last call.
  static constexpr uint64_t kMinWritebackStep = 1u << 20;

  // ---- active segment, owner only ----------------------------------------------
  // Kafka's LogSegment.append: writes `records` at the end and adds index entries
  // every index.interval.bytes. `largest_offset` is the append's last offset.
  // On an I/O error the file is cut back to its previous size.
  status append(samsa::offset largest_offset, int64_t largest_timestamp_ms,
                samsa::offset shallow_offset_of_max_timestamp, std::span<const uint8_t> records);
  // Starts writing the whole pages appended since the last call back to the
  // disk (io::file::start_writeback) once there are kMinWritebackStep of them.
  // For logs that someone waits to see durable: while one flush pass waits in
  // fdatasync, the data of the next is already on its way. The last partial
  // page is left alone, since the next append writes into it.
  void start_writeback();
  bool should_roll(const roll_params& p);
  bool can_convert_to_relative_offset(samsa::offset o) const { return offset_index_.can_append_offset(o); }
  // Kafka's onBecomeInactiveSegment plus writing the index files; seals the object.
  status seal();
  // Writes the index files of an active segment (clean close). Does not seal.
  status write_index_files();
  // Removes entries and bytes for offsets >= o (the batch holding o goes whole).
  // Returns the bytes removed from the log file.
  result<uint64_t> truncate_to(samsa::offset o, int64_t now_ms);
  // A new active object over this segment's files (indexes copied); see header.
  result<std::shared_ptr<segment>> reopen_as_active() const;
  // Appends an aborted transaction whose marker is in this segment.
  void append_aborted_txn(const aborted_txn& t) { txn_index_.append(t); }
  // Sets the on-disk size bookkeeping of a segment filled outside append()
  // (the cleaner writes whole filtered batches this way).
  void set_index_interval(int32_t bytes) { opts_.index_interval_bytes = bytes; }

  // ---- recovery --------------------------------------------------------------------
  // Kafka's LogSegment.recover: rebuilds the indexes from the log, verifying every
  // batch (CRC, framing, offsets increasing within the segment), and truncates the
  // file after the last good batch. `on_batch` sees each good batch in order.
  // With `contiguous`, each batch must start right after the previous one (the
  // first at the base offset): a log that is never compacted has no gaps, and the
  // CRC does not cover a batch's first 17 bytes, so a torn write there would
  // otherwise pass. Returns the bytes truncated.
  result<uint64_t> recover(const std::function<void(const protocol::batch_view&)>& on_batch, bool contiguous = false);
  // Loads the index files now (the active segment after a clean shutdown);
  // corrupt_file when one is missing or fails its sanity check.
  status load_indexes();
  // Cheap check of a segment trusted after an unclean shutdown: the last offset
  // index entry must point at a batch holding its offset, and the bytes after it
  // must scan cleanly to the end of the file. corrupt_file when not.
  status validate_tail();

  // ---- reads (active: owner; sealed: any thread) ----------------------------------
  // The first batch whose last offset >= o, scanning from the index.
  result<std::optional<batch_position>> translate_offset(samsa::offset o, uint64_t starting_position = 0) const;
  // Kafka's LogSegment.read, returning whole batches only. nullopt when no batch
  // holds an offset >= start.
  result<std::optional<segment_read>> read(samsa::offset start, int64_t max_size, std::optional<uint64_t> max_position,
                                           bool min_one_message) const;
  // The offset after the last batch (base offset when empty).
  result<samsa::offset> read_next_offset() const;
  // Kafka's findOffsetByTimestamp.
  result<std::optional<timestamp_and_offset>> find_offset_by_timestamp(int64_t target_ms,
                                                                       samsa::offset starting_offset) const;
  // The record with the segment's largest timestamp (ListOffsets MAX_TIMESTAMP).
  result<std::optional<timestamp_and_offset>> find_max_timestamp_record() const;
  // The smallest indexed offset at or after position (an exclusive upper bound of
  // what a fetch of [position, position + size) can contain), Kafka's fetchUpperBoundOffset.
  std::optional<samsa::offset> fetch_upper_bound_offset(uint64_t position) const;
  txn_search_result collect_aborted_txns(samsa::offset fetch_offset, samsa::offset upper_bound) const;

  // Kafka's maxTimestampSoFar (-1 when no batch has a timestamp); for a segment
  // opened from disk it is read from the last time index entry on first use.
  int64_t max_timestamp_so_far() const { return max_timestamp_and_offset().timestamp_ms; }
  timestamp_offset max_timestamp_and_offset() const;
  // Kafka's largestTimestamp: max timestamp, or the file's last modification time.
  int64_t largest_timestamp() const;
  int64_t time_waited_for_roll(int64_t now_ms, int64_t message_timestamp_ms);
  // The first batch's max timestamp, or INT64_MAX when unknown (max.compaction.lag.ms).
  int64_t first_batch_timestamp();
  int64_t last_modified_ms() const;

  // The indexes, loaded from their files on first use for a segment opened from
  // disk (rebuilt from the log if a file is missing or corrupt).
  result<const offset_index*> offset_idx() const;
  result<const time_index*> time_idx() const;
  result<const txn_index*> txn_idx() const;

  // ---- durability and files (any thread) -----------------------------------------
  // Syncs the log file and, once sealed, the index files (each only once).
  status flush();
  bool fully_flushed() const { return flushed_all_.load(std::memory_order_acquire); }
  // Renames every file of the segment from suffix `from` to `to` (e.g. "" ->
  // ".deleted", ".cleaned" -> ".swap").
  status change_suffix(std::string_view from, std::string_view to);
  std::string suffix() const;
  // Unlinks every file of the segment (missing files are fine). Afterwards the
  // segment's files cannot be reopened: log_file() fails with not_found and
  // flush() succeeds without doing anything (the segment left the log before).
  status delete_files();
  bool files_deleted() const { return files_deleted_.load(std::memory_order_acquire); }
  // Keeps the original segment's mtime on a cleaned segment (Kafka's setLastModified).
  status set_last_modified(int64_t ms);

 private:
  segment(io::file_system& fs, std::shared_ptr<io::open_file_cache> cache, std::string dir, samsa::offset base,
          const segment_options& opts, int64_t now_ms, std::string suffix);
  std::string path_for(std::string_view kind) const;
  // Opens one of the segment's files under path_mu_, so that a concurrent
  // change_suffix or delete_files happens wholly before or after the open.
  result<std::shared_ptr<io::file>> open_own_file(std::string_view kind, io::open_mode mode) const;
  // Before a write that ends at `write_end`: reserves the file's blocks ahead of
  // it when the last reservation does not cover it. Writes into reserved blocks
  // skip the file system's block allocation (on ext4 20-40% of a buffered
  // write's time). The step is the segment's size so far, between
  // kMinReserveStep and kMaxReserveStep: an idle partition reserves little, a
  // busy one calls fallocate rarely; what lies past the end is given back at seal().
  void reserve_ahead(uint64_t write_end);
  status write_index_file(std::string_view kind, const std::vector<uint8_t>& bytes, bool remove_if_empty);
  result<timestamp_and_offset> max_timestamp_after(uint64_t position) const;
  // Lazy loading of a segment opened from disk; idempotent, internally locked.
  status ensure_indexes() const;
  status load_index_files_locked() const;
  status rebuild_indexes_locked() const;

  io::file_system& fs_;
  std::shared_ptr<io::open_file_cache> cache_;  // shared: a segment may outlive its log manager
  const std::string dir_;
  const samsa::offset base_;
  segment_options opts_;
  const uint64_t id_;

  mutable std::mutex path_mu_;
  std::string suffix_;  // "", ".cleaned", ".swap", ".deleted"; guarded by path_mu_
  std::atomic<bool> files_deleted_{false};  // set under path_mu_ before the first unlink

  std::shared_ptr<io::file> active_file_;  // set while active
  std::atomic<uint64_t> size_{0};
  std::atomic<bool> sealed_{false};
  std::atomic<bool> flushed_all_{false};
  std::atomic<bool> index_files_synced_{false};
  bool has_index_files_ = false;  // .index/.timeindex exist on disk
  bool has_txn_file_ = false;

  // Indexes: always valid while active; for a segment opened from disk, valid once
  // indexes_loaded_ (set with release after they are filled under lazy_mu_).
  mutable std::mutex lazy_mu_;
  mutable std::atomic<bool> indexes_loaded_{true};
  mutable std::atomic<bool> max_ts_loaded_{true};
  mutable offset_index offset_index_;
  mutable time_index time_index_;
  mutable txn_index txn_index_;
  mutable timestamp_offset max_ts_;  // Kafka's maxTimestampAndOffsetSoFar
  std::optional<int64_t> rolling_based_timestamp_;
  int64_t created_ms_;
  uint32_t bytes_since_last_index_entry_ = 0;
  uint64_t reserved_end_ = 0;  // active: blocks up to here were reserved (io::file::reserve)
  uint64_t writeback_end_ = 0;  // active: start_writeback() covered the pages below this
};

}  // namespace samsa::storage
