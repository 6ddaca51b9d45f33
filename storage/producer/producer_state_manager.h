#pragma once

// Per-partition producer state (Kafka's ProducerStateManager): producer id ->
// producer_state_entry, the open transactions (for the last stable offset), the
// completed transactions whose markers are above the high watermark, and the
// producer snapshot files of the partition directory.
//
// Invariants:
//   1. map_end_offset() is the log offset the in-memory state reflects (exclusive).
//   2. Every open transaction's producer has current_txn_first_offset == its key.
//   3. Snapshot files are named by the map end offset they were taken at; the
//      snapshot map lists exactly the .snapshot files of the directory this
//      object knows of.
//
// Thread-safety: none; owned by a partition_log and used under its mutex.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/kafka_types.h"
#include "storage/io/file_system.h"
#include "storage/producer/producer_append_info.h"
#include "storage/producer/producer_state_entry.h"
#include "storage/result.h"

namespace samsa::storage {

class producer_state_manager {
 public:
  producer_state_manager(io::file_system& fs, std::string dir, int64_t producer_id_expiration_ms);

  // Finds the directory's .snapshot files (Kafka's loadSnapshots).
  status load_snapshot_list();
  void set_producer_id_expiration_ms(int64_t ms) { expiration_ms_ = ms; }

  producer_append_info prepare_update(samsa::producer_id id, append_origin origin) const;
  void update(const producer_append_info& info);
  const producer_state_entry* last_entry(samsa::producer_id id) const;
  const std::map<int64_t, producer_state_entry>& active_producers() const { return producers_; }
  bool empty() const { return producers_.empty() && unreplicated_.empty(); }

  void update_map_end_offset(samsa::offset o) { map_end_offset_ = o; }
  samsa::offset map_end_offset() const { return map_end_offset_; }

  // The last stable offset to store with an aborted transaction in the index:
  // the first open transaction of another producer, else the marker + 1.
  samsa::offset last_stable_offset(const completed_txn& t) const;
  status complete_txn(const completed_txn& t);
  // The earliest transaction that is open, or completed but with its marker at or
  // above the high watermark.
  std::optional<samsa::offset> first_unstable_offset() const;
  std::optional<samsa::offset> first_undecided_offset() const;
  void on_high_watermark_updated(samsa::offset high_watermark);
  void on_log_start_offset_incremented(samsa::offset log_start_offset);

  // Drops producers idle for producer.id.expiration.ms with no open transaction.
  void remove_expired_producers(int64_t now_ms);

  // Writes <map_end_offset>.snapshot if the state moved since the last one.
  // Unsynced snapshots are listed by take_unsynced_snapshots() for the flush worker.
  result<std::optional<std::string>> take_snapshot(bool sync);
  std::vector<std::string> take_unsynced_snapshots();
  // Kafka's truncateAndReload: drops snapshots outside (log_start, log_end] and,
  // unless the state is already at log_end, reloads the latest snapshot.
  status truncate_and_reload(samsa::offset log_start, samsa::offset log_end, int64_t now_ms);
  status truncate_fully_and_start_at(samsa::offset o);
  // Kafka's removeStraySnapshots: keeps snapshots at segment base offsets and the
  // largest stray one when it is above every segment.
  status remove_stray_snapshots(const std::vector<samsa::offset>& segment_bases);
  status delete_snapshots_before(samsa::offset o);
  status delete_snapshot(samsa::offset o);
  std::optional<samsa::offset> latest_snapshot_offset() const;
  std::optional<samsa::offset> oldest_snapshot_offset() const;
  std::vector<samsa::offset> snapshot_offsets() const;

  // ---- transaction verification (Kafka's VerificationStateEntry) ----------------
  // A producer whose first transactional batch is being verified with the
  // transaction coordinator holds a guard until a transactional batch of it
  // (data: the transaction started; a marker: it ended) is appended. An append
  // verified before a marker thus cannot land after it (the hanging
  // transaction race, KIP-890 part 1). Guards are unique within this manager;
  // 0 is the sentinel that verifies nothing. In memory only, as Kafka's.
  uint64_t maybe_create_verification_guard(samsa::producer_id id, int64_t now_ms);
  // 0 when the producer has no verification in progress.
  uint64_t verification_guard(samsa::producer_id id) const;
  void clear_verification_guard(samsa::producer_id id) { verification_states_.erase(id.value()); }

 private:
  struct txn_metadata {
    samsa::producer_id producer_id;
    samsa::offset first_offset;
    std::optional<samsa::offset> last_offset;
  };

  status load_from_snapshot(samsa::offset log_start, int64_t now_ms);
  bool expired(int64_t now_ms, const producer_state_entry& e) const;
  void load_entry(const producer_state_entry& e);
  std::string snapshot_path(samsa::offset o) const;

  io::file_system& fs_;
  std::string dir_;
  int64_t expiration_ms_;
  std::map<int64_t, producer_state_entry> producers_;
  std::map<int64_t, txn_metadata> ongoing_;       // by first offset
  std::map<int64_t, txn_metadata> unreplicated_;  // by first offset
  std::map<int64_t, std::string> snapshots_;      // offset -> path
  std::vector<std::string> unsynced_snapshots_;
  struct verification_state {
    uint64_t guard = 0;
    int64_t timestamp_ms = 0;
  };
  std::map<int64_t, verification_state> verification_states_;  // by producer id
  uint64_t next_verification_guard_ = 1;
  samsa::offset map_end_offset_{0};
  samsa::offset last_snapshot_offset_{0};
};

}  // namespace samsa::storage
