#pragma once

// Assembling a Fetch response from per-partition results, as Kafka's
// FetchResponse.of/toMessage: partitions keep the given order, and consecutive
// partitions of one topic share a topic entry (by topic id when it is set,
// else by name). A topic whose name is unknown gets an empty name, which
// v13+ responses do not carry anyway.

#include <cstdint>
#include <vector>

#include "broker/fetch_session/fetch_types.h"
#include "protocol/error_code.h"

namespace samsa::broker {

// A response with `error` at the top level, `session_id`, throttle time 0 and
// the given partitions (each partition_index set from its fetch_partition).
protocol::fetch_response make_fetch_response(protocol::error_code error, int32_t session_id,
                                             std::vector<partition_result> partitions);

// A partition answered only with an error (Kafka's FetchResponse.partitionResponse):
// the code, high watermark -1, everything else at its default.
protocol::fetch_response::PartitionData error_partition_data(protocol::error_code error);

}  // namespace samsa::broker
