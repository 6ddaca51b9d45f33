#pragma once

// Producer-state snapshot files, <20-digit offset>.snapshot (Kafka's
// ProducerSnapshot, version 1). Layout (docs/formats/producer_snapshot.md),
// big-endian:
//   int16  version (1)
//   uint32 crc       CRC-32C of every byte after this field
//   int32  count
//   count x { int64 producerId, int16 epoch, int32 lastSequence, int64 lastOffset,
//             int32 offsetDelta, int64 timestamp, int32 coordinatorEpoch,
//             int64 currentTxnFirstOffset (-1: none) }                 (46 bytes)
// The offset in the name is the log offset the state is valid up to (exclusive).

#include <cstdint>
#include <span>
#include <vector>

#include "storage/producer/producer_state_entry.h"
#include "storage/result.h"

namespace samsa::storage {

inline constexpr int16_t kProducerSnapshotVersion = 1;
inline constexpr size_t kProducerSnapshotEntrySize = 46;

std::vector<uint8_t> encode_producer_snapshot(const std::vector<producer_state_entry>& entries);
// corrupt_file on a bad version, size or CRC (Kafka's CorruptSnapshotException).
result<std::vector<producer_state_entry>> decode_producer_snapshot(std::span<const uint8_t> bytes);

}  // namespace samsa::storage
