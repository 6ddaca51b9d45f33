#pragma once

// The real file_system: POSIX calls on the local disk. sync() is fdatasync(2),
// sync_dir() is fsync(2) of the directory, lock() is flock(2) LOCK_EX|LOCK_NB.
// Every descriptor is O_CLOEXEC. EINTR is retried; short reads/writes are looped.

#include "storage/io/file_system.h"

namespace samsa::storage::io {

class posix_file_system final : public file_system {
 public:
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
};

// An error value from errno (ENOENT -> not_found, EEXIST -> already_exists,
// anything else -> io_error), naming the call and path.
error errno_error(int err, const char* call, const std::string& path);

}  // namespace samsa::storage::io
