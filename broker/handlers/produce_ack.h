#pragma once

// An acks=all Produce waiting for its data to be durable: Kafka's
// DelayedProduce, where "enough replicas have it" becomes "fsynced" on a
// broker that is the only replica. Each appended partition asks its log for a
// flush up to the end of what it appended (storage groups concurrent requests
// into one fdatasync per log per pass). The response goes out when every
// flush has completed, or at the request's timeout, when the partitions still
// waiting are answered REQUEST_TIMED_OUT (their data stays in the log, as in
// Kafka).
//
// A flush that fails (I/O error, the log closed or truncated first) turns that
// partition's answer into the mapped error (storage_errors.h); the base offset
// stays, as Kafka's DelayedProduce only sets the error.
//
// Threading: flush callbacks run on the log directories' flush threads, the
// timeout on the request's shard; whichever settles the last partition
// answers (answers are thread-safe). One mutex guards the waiting state.

#include <chrono>
#include <memory>
#include <vector>

#include "broker/request_context.h"
#include "common/kafka_types.h"
#include "protocol/generated/produce.h"

namespace samsa::storage {
class partition_log;
}

namespace samsa::broker {

namespace runtime {
class shard_pool;
}

struct durable_target {
  std::shared_ptr<storage::partition_log> log;
  offset up_to{0};  // exclusive
  // Where the partition's answer is in the response.
  size_t topic_slot = 0;
  size_t partition_slot = 0;
};

// Precondition: targets is not empty; their slots exist in `response`.
void answer_when_durable(request_context ctx, protocol::produce_response response, std::vector<durable_target> targets,
                         runtime::shard_pool& pool, std::chrono::milliseconds timeout);

}  // namespace samsa::broker
