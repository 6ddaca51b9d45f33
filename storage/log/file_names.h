#pragma once

// Kafka's on-disk names (LogFileUtils, LocalLog):
//   <20-digit base offset>.log / .index / .timeindex / .txnindex / .snapshot
//   + ".deleted" (scheduled for deletion), ".cleaned" (cleaner output, not yet
//   swapped), ".swap" (cleaner output being swapped in)
//   partition directory <topic>-<partition>, deleted as <topic>-<partition>.<uuid>-delete
//   per-partition leader-epoch-checkpoint; per-log-dir checkpoints and marker below.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/kafka_types.h"

namespace samsa::storage {

inline constexpr std::string_view kLogSuffix = ".log";
inline constexpr std::string_view kIndexSuffix = ".index";
inline constexpr std::string_view kTimeIndexSuffix = ".timeindex";
inline constexpr std::string_view kTxnIndexSuffix = ".txnindex";
inline constexpr std::string_view kSnapshotSuffix = ".snapshot";
inline constexpr std::string_view kDeletedSuffix = ".deleted";
inline constexpr std::string_view kCleanedSuffix = ".cleaned";
inline constexpr std::string_view kSwapSuffix = ".swap";
inline constexpr std::string_view kTmpSuffix = ".tmp";
inline constexpr std::string_view kDeleteDirSuffix = "-delete";

inline constexpr std::string_view kLeaderEpochCheckpoint = "leader-epoch-checkpoint";
inline constexpr std::string_view kRecoveryPointCheckpoint = "recovery-point-offset-checkpoint";
inline constexpr std::string_view kLogStartOffsetCheckpoint = "log-start-offset-checkpoint";
inline constexpr std::string_view kReplicationOffsetCheckpoint = "replication-offset-checkpoint";
inline constexpr std::string_view kCleanerOffsetCheckpoint = "cleaner-offset-checkpoint";
inline constexpr std::string_view kCleanShutdownMarker = ".kafka_cleanshutdown";
inline constexpr std::string_view kLockFile = ".lock";

// "00000000000000000042" for 42.
std::string offset_file_stem(samsa::offset base);
// "<dir>/<20 digits><suffix><extra>", e.g. segment_path(d, 42, ".log", ".deleted").
std::string segment_path(const std::string& dir, samsa::offset base, std::string_view suffix,
                         std::string_view extra = {});
// The base offset encoded in a file name's first 20 characters, when they are digits.
std::optional<samsa::offset> offset_from_file_name(std::string_view name);
bool ends_with(std::string_view s, std::string_view suffix);

struct topic_partition {
  std::string topic;
  int32_t partition = 0;

  bool operator==(const topic_partition&) const = default;
  auto operator<=>(const topic_partition&) const = default;
  std::string dir_name() const { return topic + "-" + std::to_string(partition); }
};

// Parses "<topic>-<partition>" (Kafka's parseTopicPartitionName, without the
// -delete/-future/-stray forms, which callers strip first).
std::optional<topic_partition> parse_partition_dir_name(std::string_view name);

}  // namespace samsa::storage

template <>
struct std::hash<samsa::storage::topic_partition> {
  size_t operator()(const samsa::storage::topic_partition& tp) const noexcept {
    return std::hash<std::string>{}(tp.topic) * 31 + std::hash<int32_t>{}(tp.partition);
  }
};
