#pragma once

// The narrow interface through which storage touches disks (LevelDB's Env).
// Two implementations: posix_file_system (real) and fault_injection_file_system
// (in memory; tracks what is durable and can lose or tear unsynced writes and
// unsynced directory entries at a simulated crash).
//
// Durability contract, as POSIX gives it and as storage relies on it:
//   1. Data written to a file is durable only after sync() of that file returns.
//   2. A file's name (its directory entry: create, rename, unlink) is durable only
//      after sync_dir() of the directory that holds it returns.
//   3. rename() replaces the target atomically (never half-renamed).
// Nothing else is assumed: unsynced data may be lost, partially kept or kept in
// any page order after a crash.
//
// Thread-safety: a file_system may be used from any thread. A file handle may be
// used from several threads at once (pread/pwrite/sync are positional).
// Paths are '/'-separated strings; no relative-path resolution is needed.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "storage/result.h"

namespace samsa::storage::io {

class file {
 public:
  virtual ~file() = default;

  // Reads up to out.size() bytes at `offset`; fewer only at end of file.
  virtual result<size_t> pread(uint64_t offset, std::span<uint8_t> out) const = 0;
  // Writes all of `data` at `offset` (extending the file as needed).
  virtual status pwrite(uint64_t offset, std::span<const uint8_t> data) = 0;
  // fdatasync: data and the metadata needed to read it (size) become durable.
  virtual status sync() = 0;
  virtual status truncate(uint64_t size) = 0;
  virtual result<uint64_t> size() const = 0;
  // Reserves `size` bytes of disk space (preallocate); the file size grows to
  // `size`, new bytes read as zeros.
  virtual status allocate(uint64_t size) = 0;
  // Last modification time in ms since the epoch (Kafka's File.lastModified).
  virtual result<int64_t> last_modified_ms() const = 0;
  virtual status set_last_modified_ms(int64_t ms) = 0;
  // The OS descriptor for sendfile(2), or -1 when the file is not an OS file.
  virtual int native_handle() const = 0;
  // A hint that [offset, offset + length) will be read soon (readahead). May do nothing.
  virtual void will_need(uint64_t offset, uint64_t length) const {}
  // A hint that [offset, offset + length) will be written soon: reserve disk
  // blocks for it without changing the file size, so the writes skip block
  // allocation. May do nothing; a full disk shows up in the write, not here.
  // truncate() to the current size gives back what lies past the end.
  virtual void reserve(uint64_t offset, uint64_t length) {}
  // A hint that [offset, offset + length) will be synced soon: starts writing
  // its dirty pages to the disk without waiting, so the sync() that follows
  // has less left to do. Durability still comes only from sync(). May do nothing.
  virtual void start_writeback(uint64_t offset, uint64_t length) {}
};

enum class open_mode : uint8_t {
  read_write,         // must exist
  read_only,          // must exist
  create,             // create if missing, keep contents
  create_exclusive,   // fail with already_exists if present
  create_truncate,    // create or empty it
};

struct dir_entry {
  std::string name;
  bool is_dir = false;
};

// An exclusive advisory lock on a file (Kafka's .lock in each log dir); released
// on destruction.
class file_lock {
 public:
  virtual ~file_lock() = default;
};

class file_system {
 public:
  virtual ~file_system() = default;

  virtual result<std::shared_ptr<file>> open(const std::string& path, open_mode mode) = 0;
  // Atomically renames `from` to `to`, replacing `to` if it exists.
  virtual status rename(const std::string& from, const std::string& to) = 0;
  // Unlinks a file; not_found if it does not exist.
  virtual status remove(const std::string& path) = 0;
  // Removes an empty directory.
  virtual status remove_dir(const std::string& path) = 0;
  // Creates a directory (its parent must exist); already_exists if present.
  virtual status make_dir(const std::string& path) = 0;
  // Makes the directory's entries (creates, renames, unlinks) durable.
  virtual status sync_dir(const std::string& path) = 0;
  virtual result<std::vector<dir_entry>> list_dir(const std::string& path) const = 0;
  virtual bool exists(const std::string& path) const = 0;
  virtual bool is_dir(const std::string& path) const = 0;
  virtual result<std::unique_ptr<file_lock>> lock(const std::string& path) = 0;
};

// Path helpers (no normalisation beyond joining).
inline std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}
std::string parent_of(const std::string& path);
std::string base_name(const std::string& path);

// Reads a whole (small) file. Errors: not_found, io_error.
result<std::vector<uint8_t>> read_file(file_system& fs, const std::string& path);
// Writes `data` to `path` crash-safely: write `path`.tmp, sync it, rename over
// `path`, sync the directory. After success the new contents are durable; after a
// crash at any point the old or the new contents are present, never a mix.
status write_file_atomically(file_system& fs, const std::string& path, std::span<const uint8_t> data);
// Reads exactly out.size() bytes at offset; corrupt_file on a short read.
status pread_exact(const file& f, uint64_t offset, std::span<uint8_t> out);

}  // namespace samsa::storage::io
