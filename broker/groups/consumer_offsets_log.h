#pragma once

// The group coordinator's records written to __consumer_offsets through the
// broker's data path (group_log for a running broker), and read back at
// startup (load_consumer_offsets).
//
// A batch is built as Kafka's coordinator runtime builds one: RecordBatch v2,
// no producer id, CreateTime timestamps of now, uncompressed
// (offsets.topic.compression.codec 0); it is appended as the leader
// (append_origin::coordinator), the high watermark follows, and the log is
// asked to fsync up to it: the caller hears back once the batch is durable
// (the acks=all guarantee of a single-replica partition).
//
// Thread-safety: append() may be called from any thread.
// Lifetime: the services' metadata and data plane outlive it.

#include <functional>

#include "broker/groups/group_coordinator.h"
#include "broker/groups/group_log.h"
#include "protocol/records/batch_builder.h"

namespace samsa::broker {
struct broker_services;
}

namespace samsa::broker::groups {

class consumer_offsets_log final : public group_log {
 public:
  explicit consumer_offsets_log(broker_services& services) : services_(services) {}
  protocol::error_code append(int32_t partition, std::vector<coordinator_record> records, done_fn done) override;
  protocol::error_code append_transactional(int32_t partition, int64_t producer_id, int16_t producer_epoch,
                                            std::vector<coordinator_record> records, done_fn done) override;

 private:
  protocol::error_code append_batch(int32_t partition, const protocol::batch_builder_options& options,
                                    std::vector<coordinator_record> records, done_fn done);
  broker_services& services_;
};

// Replays every partition of __consumer_offsets (when the topic exists) into
// `coordinator`, then calls coordinator.loaded(). Returns the number of
// records replayed. Runs before the broker serves requests.
int64_t load_consumer_offsets(broker_services& services, group_coordinator& coordinator);

}  // namespace samsa::broker::groups
