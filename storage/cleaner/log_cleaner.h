#pragma once

// Log compaction (Kafka's LogCleaner / Cleaner / LogCleanerManager): keeps the
// latest record of each key below the first uncleanable offset, drops
// tombstones and transaction markers once delete.retention.ms has passed since
// the cleaning that first saw them (KIP-534 delete horizon in the batch header),
// drops aborted transactional data, and keeps each active producer's last batch
// (possibly emptied) so its sequence and epoch survive.
//
// A cleaning runs on a cleaner thread without the log's lock: it reads sealed
// segments (immutable), writes a .cleaned segment per group, syncs it, and asks
// the log to swap it in (partition_log::cleaner_replace_segments), which refuses
// if the log was truncated or the segments removed meanwhile.
//
// Thread-safety: one log_cleaner object per cleaner thread.

#include <cstdint>
#include <optional>

#include "storage/cleaner/offset_map.h"
#include "storage/io/clock.h"
#include "storage/io/file_system.h"
#include "storage/io/open_file_cache.h"
#include "storage/log/partition_log.h"

namespace samsa::storage {

struct cleaner_config {
  size_t dedupe_buffer_bytes = 128u << 20;  // log.cleaner.dedupe.buffer.size (per thread)
  double io_buffer_load_factor = 0.9;       // log.cleaner.io.buffer.load.factor
};

// Kafka's cleanableOffsets + calculateCleanableBytes + maxCompactionDelay.
struct cleanable_range {
  samsa::offset first_dirty{0};
  samsa::offset first_uncleanable{0};  // segment-aligned upper bound (exclusive)
  bool force_update_checkpoint = false;
  bool need_compaction_now = false;    // max.compaction.lag.ms exceeded
  uint64_t clean_bytes = 0;
  uint64_t cleanable_bytes = 0;
  double cleanable_ratio() const {
    const uint64_t total = clean_bytes + cleanable_bytes;
    return total == 0 ? 0.0 : static_cast<double>(cleanable_bytes) / static_cast<double>(total);
  }
  // Kafka's filter: enough dirt for min.cleanable.dirty.ratio, or overdue.
  bool worth_cleaning(double min_ratio) const {
    return (need_compaction_now && cleanable_bytes > 0) || cleanable_ratio() > min_ratio;
  }
};

cleanable_range compute_cleanable_range(const cleaner_view& v, std::optional<samsa::offset> checkpoint, int64_t now_ms);

class log_cleaner {
 public:
  log_cleaner(io::file_system& fs, const io::clock& clock, std::shared_ptr<io::open_file_cache> cache,
              cleaner_config config)
      : fs_(fs), clock_(clock), cache_(std::move(cache)), config_(config) {}

  // Cleans `log` over `range`. Returns the next dirty offset (the new cleaner
  // checkpoint), or nullopt when the log changed under the cleaner (nothing lost;
  // try again later).
  result<std::optional<samsa::offset>> clean(partition_log& log, const cleaner_view& view, const cleanable_range& range);

 private:
  // Kafka's buildOffsetMap; returns the end offset (map.latestOffset + 1).
  result<samsa::offset> build_offset_map(partition_log& log, const cleaner_view& view, samsa::offset start,
                                         samsa::offset end, offset_map& map);
  result<bool> clean_group(partition_log& log, const cleaner_view& view, const std::vector<std::shared_ptr<segment>>& group,
                           const offset_map& map, class cleaned_txn_metadata& txns, samsa::offset upper_bound_of_round,
                           int64_t now_ms);

  io::file_system& fs_;
  const io::clock& clock_;
  std::shared_ptr<io::open_file_cache> cache_;
  cleaner_config config_;
};

}  // namespace samsa::storage
