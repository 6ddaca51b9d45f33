#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// DescribeLogDirs (key 35), v1-4: Kafka 4.0's KafkaApis.handleDescribeLogDirsRequest
// and ReplicaManager.describeLogDirs. One result per configured log directory
// (absolute path): its total and usable bytes (v4+), and the requested
// partitions it holds (null topics: all) with their size on disk and offset
// lag (high watermark minus log end, never below 0: always 0 for a leader).
// Topics with no requested partition in a directory are left out. A directory
// that cannot be read is KAFKA_STORAGE_ERROR.
void handle_describe_log_dirs(request_context&& ctx);

}  // namespace samsa::broker
