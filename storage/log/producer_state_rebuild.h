#pragma once

// Rebuilding producer state from snapshots and the log (Kafka's
// UnifiedLog.rebuildProducerState and loadProducersFromRecords). Used when a log
// loads, recovers and truncates.
//
// Thread-safety: the caller owns the manager and keeps the segments alive.

#include <cstdint>
#include <map>
#include <memory>

#include "common/kafka_types.h"
#include "storage/producer/producer_state_manager.h"
#include "storage/result.h"
#include "storage/segment/segment.h"

namespace samsa::storage {

using segment_map = std::map<int64_t, std::shared_ptr<segment>>;

// Brings `psm` to `last_offset`: reloads the latest usable snapshot and replays
// the batches after it. After a clean shutdown without snapshots, writes empty
// snapshots instead (nothing to rebuild). Ends with a snapshot at last_offset.
status rebuild_producer_state(producer_state_manager& psm, const segment_map& segments, samsa::offset log_start,
                              samsa::offset last_offset, bool reload_from_clean_shutdown, bool sync_snapshots,
                              int64_t now_ms);

// Replays the batches of `seg` from the one holding `start` up to file position
// `max_position` into `psm` (as a follower would: no sequence checks).
status load_producers_from(producer_state_manager& psm, const segment& seg, samsa::offset start,
                           uint64_t max_position);

}  // namespace samsa::storage
