#pragma once

// The log of one partition (Kafka's UnifiedLog + LocalLog): segments, offsets,
// producer state, leader epochs, durability, reads, truncation and retention.
//
// Threading:
//   - Every public method is thread-safe: one internal mutex guards the log's
//     state. It is held for in-memory work and page-cache writes (an append's
//     pwrite), never across fsync, bulk scans of sealed segments or callbacks.
//   - The broker calls the data path (append_*, read, truncate_*, request_flush,
//     high watermark and log start offset updates) from the shard that owns the
//     partition, one call at a time; nothing relies on that for safety, but
//     ordering of appends is the caller's.
//   - Background work takes the mutex briefly: the flush worker (run_flush, on
//     the log directory's flush thread), retention (delete_old_segments) and the
//     cleaner (cleaner_* methods) on log_manager's threads.
//   - Offsets published for lock-free reading: log_end_offset(), high_watermark(),
//     last_stable_offset(), log_start_offset(), recovery_point() (atomics).
//   - Read results hold their segment file by shared_ptr: they stay valid on any
//     thread after the log rolls, deletes segments or closes.
//
// Durability: appends return once written to the page cache. request_flush(o, cb)
// calls cb(ok) on the flush worker's thread once every offset < o is on disk
// (group commit: one fdatasync per log per pass, whatever the number of requests).
// flush.messages / flush.ms make the log request flushes by itself (defaults:
// never; Kafka relies on replication). The broker requests a flush for acks=all.
//
// Invariants:
//   1. segments_ is non-empty; the last segment is the only active one.
//   2. log_start_offset <= high_watermark <= log_end_offset; recovery_point <= log_end_offset.
//   3. Every offset below recovery_point is durable (log data, the indexes of
//      sealed segments, directory entries, and the leader epochs they carry).
//   4. Producer state reflects exactly the batches below log_end_offset.
//   5. Once failed() (an I/O error), every mutation returns io_error (Kafka takes
//      the log directory offline).

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/kafka_types.h"
#include "protocol/wire/encoded_message.h"
#include "storage/durability/flush_worker.h"
#include "storage/epoch/leader_epoch_cache.h"
#include "storage/index/txn_index.h"
#include "storage/io/clock.h"
#include "storage/io/file_system.h"
#include "storage/io/open_file_cache.h"
#include "storage/log/file_names.h"
#include "storage/log/segment_deleter.h"
#include "storage/log_config.h"
#include "storage/producer/producer_state_manager.h"
#include "storage/result.h"
#include "storage/segment/segment.h"
#include "storage/validation/log_validator.h"

namespace samsa::storage {

enum class fetch_isolation : uint8_t { log_end, high_watermark, txn_committed };

// What an append did (Kafka's LogAppendInfo).
struct append_info {
  samsa::offset first_offset{-1};
  samsa::offset last_offset{-1};
  int64_t max_timestamp_ms = -1;
  samsa::offset shallow_offset_of_max_timestamp{-1};
  int64_t log_append_time_ms = -1;  // -1 unless the topic uses LogAppendTime (or a duplicate)
  samsa::offset log_start_offset{0};
  int32_t record_count = 0;
  uint64_t valid_bytes = 0;
  // A retry of a batch already in the log: nothing was appended; the offsets are
  // the original batch's (the broker answers success, as Kafka does).
  bool duplicate = false;
};

// A read's result (Kafka's FetchDataInfo plus the offsets a Fetch response needs).
struct fetch_result {
  samsa::offset fetch_offset{0};
  // Whole batches as a file range (null when empty), sendable with sendfile(2).
  std::shared_ptr<const protocol::spliced_source> records;
  uint64_t size_bytes = 0;
  bool first_entry_incomplete = false;
  std::optional<std::vector<aborted_txn>> aborted_transactions;  // txn_committed only
  samsa::offset high_watermark{0};
  samsa::offset last_stable_offset{0};
  samsa::offset log_start_offset{0};
  samsa::offset log_end_offset{0};
};

// ListOffsets' special timestamps (Kafka's ListOffsetsRequest).
inline constexpr int64_t kLatestTimestamp = -1;
inline constexpr int64_t kEarliestTimestamp = -2;
inline constexpr int64_t kMaxTimestamp = -3;
inline constexpr int64_t kEarliestLocalTimestamp = -4;
inline constexpr int64_t kLatestTieredTimestamp = -5;

struct partition_log_params {
  io::file_system* fs = nullptr;
  const io::clock* clock = nullptr;
  std::shared_ptr<io::open_file_cache> file_cache;  // descriptors of sealed segments
  std::shared_ptr<flush_worker> flusher;        // the log directory's worker
  std::shared_ptr<segment_deleter> deleter;     // null: delete at once
  std::string dir;                              // the partition directory
  topic_partition tp;
  log_config config;
  // Loading state (log_manager reads these from the log directory's checkpoints).
  bool had_clean_shutdown = false;
  samsa::offset recovery_point_checkpoint{0};
  std::optional<samsa::offset> log_start_offset_checkpoint;
  std::optional<samsa::offset> high_watermark_checkpoint;
  // Writes the recovery-point checkpoint of the log directory now (log_manager);
  // run by the flush worker before a flush completes after a truncation.
  std::function<status()> recovery_checkpoint_hook;
};

// A read-only view of the segments for the cleaner (see cleaner/).
struct cleaner_view {
  std::vector<std::shared_ptr<segment>> segments;  // all, oldest first
  samsa::offset log_start_offset{0};
  samsa::offset log_end_offset{0};
  samsa::offset last_stable_offset{0};
  samsa::offset active_base{0};
  uint64_t generation = 0;
  log_config config;
  // Producer id -> (last data offset or -1, epoch): batches to keep (Kafka's lastRecordsOfActiveProducers).
  std::map<int64_t, std::pair<int64_t, int16_t>> last_records_of_active_producers;
};

class partition_log final : public flushable, public std::enable_shared_from_this<partition_log> {
 public:
  using flush_callback = std::function<void(status)>;

  // Loads an existing partition directory, recovering it if the shutdown was not
  // clean, or creates an empty log if it holds no segment (log_loader.cc).
  static result<std::shared_ptr<partition_log>> open(partition_log_params params);
  ~partition_log() override;

  const topic_partition& tp() const { return params_.tp; }
  std::string dir() const;
  log_config config() const;
  void update_config(const log_config& c);

  // ---- appends -----------------------------------------------------------------
  // Validates one batch from a producer (or a coordinator), assigns offsets from
  // the log end offset, stamps `leader_epoch`, checks producer state, and writes
  // it. The buffer is rewritten in place (offsets, epoch, timestamps). Bytes after
  // the last whole batch are ignored (Kafka trims them); no whole batch -> nothing
  // appended, first_offset -1. Errors: see error.h; nothing is appended on error.
  //
  // `verification_guard` (Kafka's requestVerificationGuard), when given: a
  // transactional data batch that does not continue an ongoing transaction of
  // its producer is appended only if the guard is the one
  // maybe_start_transaction_verification handed out and nothing cleared it
  // since (invalid_txn_state otherwise). nullopt: not checked (verification
  // disabled, or a writer that does not verify).
  result<append_info> append_as_leader(std::span<uint8_t> records, samsa::leader_epoch leader_epoch,
                                       append_origin origin = append_origin::client,
                                       std::optional<uint64_t> verification_guard = std::nullopt);
  // Appends batches copied from the leader, offsets included (several batches
  // allowed; CRCs and offset order are checked, nothing else).
  result<append_info> append_as_follower(std::span<const uint8_t> records);

  // ---- durability ------------------------------------------------------------------
  // cb(ok) once every offset < up_to is durable; cb(error) if the log fails, closes,
  // or truncates below up_to first. Runs on the flush worker's thread.
  void request_flush(samsa::offset up_to, flush_callback cb);
  void run_flush() override;
  int64_t last_flush_time_ms() const { return last_flush_ms_.load(std::memory_order_relaxed); }

  // ---- reads -------------------------------------------------------------------------
  // Kafka's UnifiedLog.read: whole batches from the first batch holding an offset
  // >= start, up to max_bytes (the first batch always if min_one_message), never
  // past the isolation's limit. offset_out_of_range outside [log start, log end].
  result<fetch_result> read(samsa::offset start, int64_t max_bytes, fetch_isolation isolation, bool min_one_message);
  // ListOffsets: a timestamp, or kEarliestTimestamp / kLatestTimestamp / kMaxTimestamp /
  // kEarliestLocalTimestamp / kLatestTieredTimestamp. nullopt: no such record.
  result<std::optional<timestamp_and_offset>> fetch_offset_by_timestamp(int64_t timestamp_ms);
  // Aborted transactions overlapping [start, upper) (READ_COMMITTED fetches).
  result<std::vector<aborted_txn>> collect_aborted_transactions(samsa::offset start, samsa::offset upper);

  // ---- offsets -------------------------------------------------------------------------
  samsa::offset log_start_offset() const { return samsa::offset{log_start_offset_.load(std::memory_order_acquire)}; }
  samsa::offset log_end_offset() const { return samsa::offset{log_end_offset_.load(std::memory_order_acquire)}; }
  samsa::offset high_watermark() const { return samsa::offset{high_watermark_.load(std::memory_order_acquire)}; }
  samsa::offset last_stable_offset() const { return samsa::offset{last_stable_offset_.load(std::memory_order_acquire)}; }
  samsa::offset recovery_point() const { return samsa::offset{recovery_point_.load(std::memory_order_acquire)}; }

  // Kafka's updateHighWatermark: clamps to [log start, log end]; returns the new value.
  samsa::offset update_high_watermark(samsa::offset hw);
  // Kafka's maybeIncrementHighWatermark: raises it only; invalid_argument past the
  // log end. Returns the old value when it moved.
  result<std::optional<samsa::offset>> maybe_increment_high_watermark(samsa::offset hw);
  // DeleteRecords / retention: raises the log start offset. offset_out_of_range
  // above the high watermark. Returns whether it moved. Segments wholly below it
  // are deleted by the next retention pass (delete_old_segments).
  result<bool> maybe_increment_log_start_offset(samsa::offset o);

  // ---- leader epochs ---------------------------------------------------------------------
  void maybe_assign_epoch_start_offset(samsa::leader_epoch epoch, samsa::offset start);
  std::optional<samsa::leader_epoch> latest_epoch() const;
  // OffsetForLeaderEpoch; nullopt when the epoch is unknown (UNDEFINED_EPOCH_OFFSET).
  std::optional<epoch_end_offset> end_offset_for_epoch(samsa::leader_epoch epoch) const;
  std::vector<epoch_entry> leader_epoch_entries() const;

  // ---- truncation ----------------------------------------------------------------------
  // Kafka's truncateTo: removes offsets >= target. Returns whether anything was
  // removed. A target inside a batch removes that whole batch and the log end
  // offset becomes the batch's base offset (Kafka would report the target and
  // leave a gap); fetch from log_end_offset() afterwards.
  result<bool> truncate_to(samsa::offset target);
  // Kafka's truncateFullyAndStartAt: an empty log starting at new_offset.
  status truncate_fully_and_start_at(samsa::offset new_offset, std::optional<samsa::offset> log_start = std::nullopt);

  // ---- retention and rolling -----------------------------------------------------------------
  // Kafka's deleteOldSegments: log-start-offset, retention.bytes and retention.ms
  // breaches (only the first unless cleanup.policy has delete); never at or above
  // the high watermark. Returns the segments deleted.
  result<int> delete_old_segments();
  status roll();

  // ---- producers -----------------------------------------------------------------------------
  std::optional<producer_state_entry> producer_state(samsa::producer_id id) const;
  std::vector<producer_state_entry> active_producers() const;
  void remove_expired_producers(int64_t now_ms);
  // Kafka's UnifiedLog.maybeStartTransactionVerification: call before asking
  // the transaction coordinator to verify the producer's first batch of a
  // transaction; pass the guard to append_as_leader. 0 (the sentinel) when the
  // producer already has an ongoing transaction here.
  uint64_t maybe_start_transaction_verification(samsa::producer_id id);
  // First offset of the oldest open transaction, if any (Kafka's firstUnstableOffset).
  std::optional<samsa::offset> first_unstable_offset() const;

  // ---- cleaner ---------------------------------------------------------------------------------
  cleaner_view cleaner_snapshot() const;
  // Swaps `cleaned` (written as .cleaned files) in for `old` if the log did not
  // change under the cleaner (same generation, all of `old` still present);
  // aborted (and the cleaned files deleted) otherwise. Kafka's replaceSegments.
  result<bool> cleaner_replace_segments(std::shared_ptr<segment> cleaned,
                                        const std::vector<std::shared_ptr<segment>>& old, uint64_t generation);

  // ---- lifecycle -------------------------------------------------------------------------------
  // Clean close: index files, producer snapshot and epochs written, everything
  // synced; pending flush callbacks complete. Blocking: run on a thread that may block.
  status close();
  // Closes without writing or syncing (crash simulation, deletion, failed dir).
  void close_without_flush();
  bool closed() const;
  bool failed() const;
  // Renames the partition directory (Kafka's renameDir, for deletion).
  status rename_dir(const std::string& new_dir);
  // Deletes every file of the log and its directory (the log must be closed).
  status delete_files();

  // ---- introspection -------------------------------------------------------------------------
  size_t number_of_segments() const;
  std::vector<samsa::offset> segment_base_offsets() const;
  uint64_t size_bytes() const;
  // Test support: checks every segment against its indexes and the log offsets
  // (invariants of segment.h and of this class). corrupt_file describes the first breach.
  status check_consistency() const;

 private:
  explicit partition_log(partition_log_params params);
  friend class log_loader;

  // Everything below runs with mu_ held unless noted.
  std::shared_ptr<segment>& active() { return segments_.rbegin()->second; }
  const std::shared_ptr<segment>& active() const { return segments_.rbegin()->second; }
  status check_writable() const;
  status fail(const error& e);  // marks the log failed and returns e
  result<std::shared_ptr<segment>> roll_locked(std::optional<samsa::offset> expected_next_offset);
  result<std::shared_ptr<segment>> maybe_roll(int32_t messages_size, samsa::offset first_offset,
                                              samsa::offset last_offset, int64_t max_timestamp_ms);
  status remove_segments(const std::vector<std::shared_ptr<segment>>& segs);
  segment_options options_for(samsa::offset base) const;
  void set_log_end_offset(samsa::offset o);
  void set_high_watermark(samsa::offset hw);
  void update_first_unstable_offset();
  void schedule_flush_locked(samsa::offset up_to, flush_callback cb, std::vector<flush_callback>* fail_now);
  // After an append to `seg` that ended at `next`: the flush that flush.messages
  // asks for, and early write-back when someone waits for durability.
  void after_append_locked(segment& seg, samsa::offset next);
  void fail_flushes_above(samsa::offset o, errc why);
  result<bool> increment_log_start_offset_locked(samsa::offset o);
  status truncate_fully_locked(samsa::offset new_offset, std::optional<samsa::offset> log_start);
  // Kafka's rebuildProducerState.
  status rebuild_producer_state(samsa::offset last_offset, bool reload_from_clean_shutdown, bool sync_snapshots);
  std::vector<std::shared_ptr<segment>> deletable_segments(
      const std::function<bool(const segment&, const segment*)>& predicate) const;
  result<int> delete_segments(std::vector<std::shared_ptr<segment>> deletable);
  // The segment and file position where offset o starts (Kafka's LogOffsetMetadata).
  struct position_metadata {
    samsa::offset offset;
    samsa::offset segment_base;
    uint64_t position = 0;
  };
  result<position_metadata> position_of(samsa::offset o) const;
  result<std::shared_ptr<segment>> floor_segment(samsa::offset o) const;

  partition_log_params params_;
  io::file_system& fs_;
  const io::clock& clock_;

  mutable std::mutex mu_;
  // Serialises writes of leader-epoch-checkpoint (flush worker and close race
  // otherwise on its temp file). Never taken with mu_ held by the flush worker.
  std::mutex epoch_file_mu_;
  std::string dir_;
  log_config config_;
  std::map<int64_t, std::shared_ptr<segment>> segments_;  // by base offset
  producer_state_manager producers_;
  leader_epoch_cache epochs_;
  std::optional<samsa::offset> first_unstable_offset_;
  uint64_t generation_ = 0;  // bumped by every truncation (invalidates flushes and cleanings in flight)
  bool truncated_since_checkpoint_ = false;
  bool dir_dirty_ = false;  // directory entries changed since the last flush
  bool parent_dir_dirty_ = false;  // the partition directory itself is new
  bool closed_ = false;
  bool failed_ = false;
  std::string failure_;  // the error that took the log offline
  struct pending_flush {
    int64_t up_to;
    flush_callback cb;  // may be empty (internal flushes)
  };
  std::vector<pending_flush> pending_flushes_;
  std::vector<std::pair<flush_callback, errc>> failed_flushes_;  // completed by the worker
  bool flush_scheduled_ = false;
  bool flush_running_ = false;

  std::atomic<int64_t> log_start_offset_{0};
  std::atomic<int64_t> log_end_offset_{0};
  std::atomic<int64_t> high_watermark_{0};
  std::atomic<int64_t> last_stable_offset_{0};
  std::atomic<int64_t> recovery_point_{0};
  std::atomic<int64_t> last_flush_ms_{0};
};

}  // namespace samsa::storage
