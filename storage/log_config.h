#pragma once

// A partition log's configuration: Kafka's topic configs that storage reads,
// with Kafka's defaults (LogConfig / ServerLogConfigs). The broker fills it from
// its resolved topic_config; storage does not depend on broker/.
//
// Plain value; copy freely. partition_log::update_config() swaps it atomically
// with respect to the log's own operations.

#include <cstdint>
#include <limits>
#include <optional>

#include "protocol/records/batch_attributes.h"
#include "protocol/records/compression_codec.h"

namespace samsa::storage {

inline constexpr int64_t kLongMax = std::numeric_limits<int64_t>::max();

// compression.type: "producer" keeps the producer's codec; anything else is the
// codec every batch is stored with (recompressing when they differ).
struct topic_compression {
  bool producer = true;
  protocol::compression_codec codec = protocol::compression_codec::none;
  std::optional<int> level;  // compression.<codec>.level; nullopt = Kafka's default
};

struct log_config {
  int32_t segment_bytes = 1024 * 1024 * 1024;               // segment.bytes
  int64_t segment_ms = 7LL * 24 * 60 * 60 * 1000;           // segment.ms (7 days)
  int64_t segment_jitter_ms = 0;                            // segment.jitter.ms
  int32_t segment_index_bytes = 10 * 1024 * 1024;           // segment.index.bytes
  int32_t index_interval_bytes = 4096;                      // index.interval.bytes
  int64_t retention_ms = 7LL * 24 * 60 * 60 * 1000;         // retention.ms (-1: unlimited)
  int64_t retention_bytes = -1;                             // retention.bytes (-1: unlimited)
  bool cleanup_delete = true;                               // cleanup.policy contains "delete"
  bool cleanup_compact = false;                             // cleanup.policy contains "compact"
  int64_t delete_retention_ms = 24LL * 60 * 60 * 1000;      // delete.retention.ms (1 day)
  double min_cleanable_dirty_ratio = 0.5;                   // min.cleanable.dirty.ratio
  int64_t min_compaction_lag_ms = 0;                        // min.compaction.lag.ms
  int64_t max_compaction_lag_ms = kLongMax;                 // max.compaction.lag.ms
  int64_t flush_messages = kLongMax;                        // flush.messages
  int64_t flush_ms = kLongMax;                              // flush.ms
  int64_t file_delete_delay_ms = 60'000;                    // file.delete.delay.ms
  protocol::timestamp_type message_timestamp_type = protocol::timestamp_type::create_time;
  int64_t message_timestamp_before_max_ms = kLongMax;       // message.timestamp.before.max.ms
  int64_t message_timestamp_after_max_ms = kLongMax;        // message.timestamp.after.max.ms
  int32_t max_message_bytes = 1024 * 1024 + 12;             // max.message.bytes (1048588)
  bool preallocate = false;                                 // preallocate
  topic_compression compression;                            // compression.type (+ levels)

  // Producer state (broker configs, Kafka's ProducerStateManagerConfig).
  int64_t producer_id_expiration_ms = 24LL * 60 * 60 * 1000;  // producer.id.expiration.ms
  int32_t max_transaction_timeout_ms = 15 * 60 * 1000;        // transaction.max.timeout.ms

  // Batches are decompressed for validation with at most this many bytes of
  // output (our limit; Kafka has none). Generous: 32 x max.message.bytes, >= 64 MiB.
  int64_t max_uncompressed_batch_bytes() const {
    const int64_t scaled = int64_t{max_message_bytes} * 32;
    return scaled < (64LL << 20) ? (64LL << 20) : scaled;
  }
  // Kafka's LogConfig.maxIndexSize entries for each index.
  int32_t max_offset_index_entries() const { return segment_index_bytes / 8; }
  int32_t max_time_index_entries() const { return segment_index_bytes / 12; }
};

}  // namespace samsa::storage
