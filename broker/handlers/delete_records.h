#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// DeleteRecords (key 21), v0-2: Kafka 4.0's KafkaApis.handleDeleteRecordsRequest,
// ReplicaManager.deleteRecordsOnLocalLog and Partition.deleteRecordsOnLeader.
// Raises the log start offset to the requested offset (-1: the high
// watermark) and answers the new low watermark (the log start offset; a
// single replica needs no waiting). Segments wholly below it go at the next
// retention pass. Errors (low watermark -1): UNKNOWN_TOPIC_OR_PARTITION,
// INVALID_TOPIC_EXCEPTION for internal topics, NOT_LEADER_OR_FOLLOWER,
// POLICY_VIOLATION when cleanup.policy lacks "delete", OFFSET_OUT_OF_RANGE for
// an offset below -1 or above the high watermark, KAFKA_STORAGE_ERROR.
void handle_delete_records(request_context&& ctx);

}  // namespace samsa::broker
