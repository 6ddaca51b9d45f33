#include "storage/io/posix_file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace samsa::storage::io {

error errno_error(int err, const char* call, const std::string& path) {
  errc code = errc::io_error;
  if (err == ENOENT) code = errc::not_found;
  if (err == EEXIST) code = errc::already_exists;
  return error(code, std::string(call) + "(" + path + "): " + std::strerror(err));
}

namespace {

class posix_file final : public file {
 public:
  posix_file(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~posix_file() override { ::close(fd_); }

  result<size_t> pread(uint64_t offset, std::span<uint8_t> out) const override {
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_error(errno, "pread", path_);
      }
      if (n == 0) break;  // end of file
      done += static_cast<size_t>(n);
    }
    return done;
  }

  status pwrite(uint64_t offset, std::span<const uint8_t> data) override {
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_error(errno, "pwrite", path_);
      }
      done += static_cast<size_t>(n);
    }
    return {};
  }

  status sync() override {
    while (::fdatasync(fd_) != 0) {
      if (errno != EINTR) return errno_error(errno, "fdatasync", path_);
    }
    return {};
  }

  status truncate(uint64_t size) override {
    while (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
      if (errno != EINTR) return errno_error(errno, "ftruncate", path_);
    }
    return {};
  }

  void reserve(uint64_t offset, uint64_t length) override {
    if (!reserve_supported_) return;
    // FALLOC_FL_KEEP_SIZE: st_size (what readers and recovery see) stays where
    // the data ends; the blocks past it read as nothing.
    if (::fallocate(fd_, FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset), static_cast<off_t>(length)) != 0 &&
        errno == EOPNOTSUPP) {
      reserve_supported_ = false;
    }
  }

  void start_writeback(uint64_t offset, uint64_t length) override {
    // SYNC_FILE_RANGE_WRITE alone: queue the pages for writing and return; an
    // I/O error shows up in the fdatasync that makes them durable.
    (void)::sync_file_range(fd_, static_cast<off_t>(offset), static_cast<off_t>(length), SYNC_FILE_RANGE_WRITE);
  }

  result<uint64_t> size() const override {
    struct stat st;
    if (::fstat(fd_, &st) != 0) return errno_error(errno, "fstat", path_);
    return static_cast<uint64_t>(st.st_size);
  }

  status allocate(uint64_t size) override {
    const int rc = ::posix_fallocate(fd_, 0, static_cast<off_t>(size));
    if (rc != 0) return errno_error(rc, "posix_fallocate", path_);
    return {};
  }

  result<int64_t> last_modified_ms() const override {
    struct stat st;
    if (::fstat(fd_, &st) != 0) return errno_error(errno, "fstat", path_);
    return int64_t{st.st_mtim.tv_sec} * 1000 + st.st_mtim.tv_nsec / 1'000'000;
  }

  status set_last_modified_ms(int64_t ms) override {
    struct timespec times[2];
    times[0].tv_sec = 0;
    times[0].tv_nsec = UTIME_OMIT;
    times[1].tv_sec = ms / 1000;
    times[1].tv_nsec = (ms % 1000) * 1'000'000;
    if (::futimens(fd_, times) != 0) return errno_error(errno, "futimens", path_);
    return {};
  }

  int native_handle() const override { return fd_; }

  void will_need(uint64_t offset, uint64_t length) const override {
    if (length == 0) return;
    // WILLNEED walks the page cache page by page even when everything is cached:
    // for a cached 2 MiB range that cost about as much as a third of copying the
    // fetch out. Data is evicted oldest first, so when the range's last byte is
    // cached the rest almost always is too, and the hint is skipped. RWF_NOWAIT
    // answers EAGAIN instead of waiting for the disk.
    uint8_t probe;
    iovec v{&probe, 1};
    if (::preadv2(fd_, &v, 1, static_cast<off_t>(offset + length - 1), RWF_NOWAIT) >= 0) return;
    // Starts the reads now, asynchronously: a fetch's range is on its way before
    // the network layer sendfile()s or copies it.
    (void)::posix_fadvise(fd_, static_cast<off_t>(offset), static_cast<off_t>(length), POSIX_FADV_WILLNEED);
  }

 private:
  int fd_;
  std::string path_;
  bool reserve_supported_ = true;  // false once the file system refused (EOPNOTSUPP)
};

class posix_lock final : public file_lock {
 public:
  explicit posix_lock(int fd) : fd_(fd) {}
  ~posix_lock() override {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

 private:
  int fd_;
};

}  // namespace

result<std::shared_ptr<file>> posix_file_system::open(const std::string& path, open_mode mode) {
  int flags = O_CLOEXEC;
  switch (mode) {
    case open_mode::read_write: flags |= O_RDWR; break;
    case open_mode::read_only: flags |= O_RDONLY; break;
    case open_mode::create: flags |= O_RDWR | O_CREAT; break;
    case open_mode::create_exclusive: flags |= O_RDWR | O_CREAT | O_EXCL; break;
    case open_mode::create_truncate: flags |= O_RDWR | O_CREAT | O_TRUNC; break;
  }
  int fd;
  do {
    fd = ::open(path.c_str(), flags, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return errno_error(errno, "open", path);
  return std::shared_ptr<file>(std::make_shared<posix_file>(fd, path));
}

status posix_file_system::rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return errno_error(errno, "rename", from + " -> " + to);
  return {};
}

status posix_file_system::remove(const std::string& path) {
  if (::unlink(path.c_str()) != 0) return errno_error(errno, "unlink", path);
  return {};
}

status posix_file_system::remove_dir(const std::string& path) {
  if (::rmdir(path.c_str()) != 0) return errno_error(errno, "rmdir", path);
  return {};
}

status posix_file_system::make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0) return errno_error(errno, "mkdir", path);
  return {};
}

status posix_file_system::sync_dir(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_error(errno, "open", path);
  int rc;
  do {
    rc = ::fsync(fd);
  } while (rc != 0 && errno == EINTR);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return errno_error(err, "fsync", path);
  return {};
}

result<std::vector<dir_entry>> posix_file_system::list_dir(const std::string& path) const {
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) return errno_error(errno, "opendir", path);
  std::vector<dir_entry> out;
  while (struct dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    bool dir = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN) dir = is_dir(join(path, name));
    out.push_back({name, dir});
  }
  ::closedir(d);
  return out;
}

bool posix_file_system::exists(const std::string& path) const {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

bool posix_file_system::is_dir(const std::string& path) const {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

result<std::unique_ptr<file_lock>> posix_file_system::lock(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return errno_error(errno, "open", path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    return errno_error(err, "flock", path);
  }
  return std::unique_ptr<file_lock>(std::make_unique<posix_lock>(fd));
}

}  // namespace samsa::storage::io
