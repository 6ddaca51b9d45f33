#pragma once

// How a failed append to __consumer_offsets reaches a group API's answer
// (Kafka's GroupMetadataManager.appendGroupMetadataErrorToResponseError and
// the offset-commit variant of OffsetMetadataManager / GroupCoordinatorService).

#include <optional>

#include "protocol/error_code.h"

namespace samsa::broker::groups {

// JoinGroup, SyncGroup and other group metadata writes.
protocol::error_code group_metadata_append_error(protocol::error_code e);
// OffsetCommit and TxnOffsetCommit: an oversized write is INVALID_COMMIT_OFFSET_SIZE.
protocol::error_code offset_commit_append_error(protocol::error_code e);

}  // namespace samsa::broker::groups
