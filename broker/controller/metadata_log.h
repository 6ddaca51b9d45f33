#pragma once

// The metadata log: partition 0 of __cluster_metadata, kept by the storage
// log manager like any partition but never deleted by retention or compacted.
// Every controller operation is one batch of metadata records (see
// metadata_records.h, docs/formats/metadata_log.md); the controller applies a
// batch only after append() returned, i.e. once it is durable.
//
// Thread-safety: not thread-safe; the controller's thread owns it.
// Invariant: every batch below end_offset() is durable once append() returned.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/controller/metadata_records.h"
#include "common/result.h"
#include "storage/io/clock.h"
#include "storage/log_config.h"
#include "storage/manager/log_manager.h"

namespace samsa::broker {

// Kafka's Topic.CLUSTER_METADATA_TOPIC_NAME.
inline constexpr std::string_view cluster_metadata_topic = "__cluster_metadata";

// The metadata log's storage configuration: no retention by time or size, no
// compaction, no automatic fsync (append() flushes each batch), segments as
// metadata.log.segment.bytes / metadata.log.segment.ms say.
storage::log_config metadata_log_config(const config::broker_config& broker);

class metadata_log {
 public:
  // One batch as replay() hands it over: its last offset and its records.
  using batch_handler = std::function<result<ok_t, std::string>(int64_t last_offset, std::vector<metadata_record>)>;

  // Opens __cluster_metadata-0, creating it when absent.
  static result<std::unique_ptr<metadata_log>, std::string> open(storage::log_manager& logs,
                                                                 const config::broker_config& broker,
                                                                 const storage::io::clock& clock);

  // Reads every batch from the start of the log, in order. Control batches are
  // skipped. Stops at the first error (of the log, the batch, a record, or `handle`).
  result<ok_t, std::string> replay(const batch_handler& handle);

  // Appends `records` as one batch and returns once it is durable, with the
  // batch's last offset. Precondition: records is not empty.
  result<int64_t, std::string> append(const std::vector<metadata_record>& records);

  int64_t end_offset() const;
  bool empty() const { return end_offset() == 0; }
  // An I/O error took the log offline: nothing more can be written.
  bool failed() const { return log_->failed(); }

 private:
  metadata_log(std::shared_ptr<storage::partition_log> log, const storage::io::clock& clock)
      : log_(std::move(log)), clock_(clock) {}

  std::shared_ptr<storage::partition_log> log_;
  const storage::io::clock& clock_;
};

}  // namespace samsa::broker
