#pragma once

// Kafka's text checkpoint files (server-common CheckpointFile):
//   <version>\n<entry count>\n<entry>\n ...
// written crash-safely (temp file, sync, rename, directory sync). Used for
//   recovery-point-offset-checkpoint, log-start-offset-checkpoint,
//   replication-offset-checkpoint, cleaner-offset-checkpoint (version 0, entries
//   "<topic> <partition> <offset>") and leader-epoch-checkpoint (version 0,
//   entries "<epoch> <start offset>"); docs/formats/checkpoints.md.
// Also the clean shutdown marker, .kafka_cleanshutdown: {"version":0,"brokerEpoch":N}.
//
// Reading follows Kafka: a missing file is empty; a wrong version, a malformed
// line or a count that does not match is corrupt_file (callers then start from
// scratch: recovery point 0, log start offset from the segments, ...).
//
// Thread-safety: stateless functions; concurrent writers of one path must be
// serialised by the caller.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/kafka_types.h"
#include "storage/io/file_system.h"
#include "storage/log/file_names.h"
#include "storage/result.h"

namespace samsa::storage {

using offset_checkpoint_map = std::map<topic_partition, int64_t>;

std::string encode_checkpoint(int32_t version, const std::vector<std::string>& entries);
result<std::vector<std::string>> decode_checkpoint(std::string_view text, int32_t version);

result<offset_checkpoint_map> read_offset_checkpoint(io::file_system& fs, const std::string& path);
status write_offset_checkpoint(io::file_system& fs, const std::string& path, const offset_checkpoint_map& offsets);

struct epoch_entry {
  samsa::leader_epoch epoch;
  samsa::offset start_offset;
  bool operator==(const epoch_entry&) const = default;
};

result<std::vector<epoch_entry>> read_leader_epoch_checkpoint(io::file_system& fs, const std::string& path);
std::string encode_leader_epoch_checkpoint(const std::vector<epoch_entry>& entries);

// The clean shutdown marker of a log directory.
status write_clean_shutdown_marker(io::file_system& fs, const std::string& log_dir, int64_t broker_epoch);
// The broker epoch stored in the marker, or nullopt when absent or unreadable.
std::optional<int64_t> read_clean_shutdown_marker(io::file_system& fs, const std::string& log_dir);

}  // namespace samsa::storage
