#pragma once

// An in-memory file_system that knows what is durable, for crash tests
// (LevelDB's FaultInjectionTestEnv, FoundationDB's AsyncFileNonDurable).
//
// Model:
//   - A file is an inode with `data` (what reads see) and `durable` (what a crash
//     keeps for sure); file::sync() copies data to durable.
//   - A directory has `entries` (what lookups see), `durable_entries` (what a
//     crash keeps for sure) and the list of entry operations (add, remove,
//     rename) since its last sync_dir(); sync_dir() makes entries durable.
//   - crash() simulates power loss. Every directory becomes its durable entries
//     plus a random prefix of its unsynced operations (journaled file systems
//     commit metadata in order); a file created or renamed in a directory that
//     was not synced may therefore vanish or keep its old name. Every file's
//     contents become its durable contents plus, by crash_mode, none, all or a
//     random subset of what was written since its last sync: the size lands
//     anywhere between the durable and the current size, each 4 KiB page keeps
//     its old or new contents or is torn into a mix of old and new 512-byte
//     sectors, and (random_pages_and_tear) one sector holding only unsynced bytes
//     may read back as garbage. Synced bytes are never damaged: devices write a
//     sector atomically. Handles opened before the crash are dead: every call on
//     them fails with io_error.
//   - freeze_after(n): after n more mutating calls every mutating call fails with
//     io_error and changes nothing (the process died mid-operation); crash() ends it.
//   - inject_error(): the next matching calls fail with io_error (a bad disk).
//
// Thread-safety: every call takes one internal mutex.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "storage/io/clock.h"
#include "storage/io/file_system.h"

namespace samsa::storage::io {

enum class crash_mode : uint8_t {
  drop_unsynced,          // nothing unsynced survives
  keep_unsynced,          // everything written survives (a process crash, not power loss)
  random_pages,           // any subset of unsynced pages (or 512-byte sectors) survives
  random_pages_and_tear,  // random_pages, plus one unsynced sector becomes garbage
};

enum class fault_op : uint8_t { open, pread, pwrite, sync, truncate, rename, remove, sync_dir, make_dir, any };

class fault_injection_file_system final : public file_system {
 public:
  struct inode;
  struct dir_node;

  explicit fault_injection_file_system(const clock* clk = nullptr);
  ~fault_injection_file_system() override;

  result<std::shared_ptr<file>> open(const std::string& path, open_mode mode) override;
  status rename(const std::string& from, const std::string& to) override;
  status remove(const std::string& path) override;
  status remove_dir(const std::string& path) override;
  status make_dir(const std::string& path) override;
  status sync_dir(const std::string& path) override;
  result<std::vector<dir_entry>> list_dir(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  bool is_dir(const std::string& path) const override;
  result<std::unique_ptr<file_lock>> lock(const std::string& path) override;

  // Power loss; see the class comment. `seed` drives every random choice.
  void crash(uint64_t seed, crash_mode mode);
  void freeze_after(uint64_t mutations);
  bool frozen() const;
  void inject_error(fault_op op, std::string path_substring, int count = 1);

  // Counters for tests (group commit: how many syncs did N requests cost?).
  uint64_t file_syncs() const;
  uint64_t dir_syncs() const;
  // Every start_writeback() hint as (offset, length), in call order. The hint
  // changes nothing here: only sync() makes data durable.
  std::vector<std::pair<uint64_t, uint64_t>> writeback_hints() const;
  // Bytes a file holds now / durably; not_found if the path does not exist.
  result<uint64_t> durable_size(const std::string& path) const;
  // Creates every missing directory on the path, synced (test setup).
  void make_dirs_durable(const std::string& path);

  // Internal: called by handles.
  struct handle_access;

 private:
  friend struct handle_access;
  struct lookup_result;
  lookup_result lookup(const std::string& path) const;
  bool fail_injected(fault_op op, const std::string& path);
  bool check_mutation(fault_op op, const std::string& path);  // false: fail the call
  int64_t now_ms() const;

  mutable std::mutex mu_;
  const clock* clock_;
  std::shared_ptr<dir_node> root_;
  uint64_t epoch_ = 1;
  uint64_t next_inode_ = 1;
  bool frozen_ = false;
  uint64_t mutations_left_ = UINT64_MAX;
  uint64_t file_syncs_ = 0;
  uint64_t dir_syncs_ = 0;
  std::vector<std::pair<uint64_t, uint64_t>> writeback_hints_;
  int64_t fake_time_ = 1;
  struct injected {
    fault_op op;
    std::string substring;
    int count;
  };
  std::vector<injected> injected_;
  std::set<std::string> locks_;
};

}  // namespace samsa::storage::io
