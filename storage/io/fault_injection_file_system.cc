#include "storage/io/fault_injection_file_system.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <random>
#include <unordered_set>

namespace samsa::storage::io {

namespace {
constexpr size_t kPage = 4096;
constexpr size_t kSector = 512;

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = i;
    while (j < path.size() && path[j] != '/') ++j;
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}
}  // namespace

struct fault_injection_file_system::inode {
  uint64_t id = 0;
  std::vector<uint8_t> data;
  std::vector<uint8_t> durable;
  int64_t mtime_ms = 0;
};

namespace {
using inode_ptr = std::shared_ptr<fault_injection_file_system::inode>;
using dir_ptr = std::shared_ptr<fault_injection_file_system::dir_node>;

struct node {
  inode_ptr file;
  dir_ptr dir;
};

struct dir_op {
  enum kind_t { add, remove, rename } kind;
  std::string name;
  std::string to;
  node target;
};
}  // namespace

struct fault_injection_file_system::dir_node {
  std::map<std::string, node> entries;
  std::map<std::string, node> durable;
  std::vector<dir_op> unsynced;
};

struct fault_injection_file_system::lookup_result {
  dir_ptr parent;  // null when a parent component is missing
  std::string name;
  const node* target = nullptr;  // null when the entry is missing
};

struct fault_injection_file_system::handle_access {
  static std::mutex& mu(fault_injection_file_system& fs) { return fs.mu_; }
  static uint64_t epoch(fault_injection_file_system& fs) { return fs.epoch_; }
  static bool check(fault_injection_file_system& fs, fault_op op, const std::string& path) {
    return fs.check_mutation(op, path);
  }
  static bool fail_read(fault_injection_file_system& fs, const std::string& path) {
    return fs.fail_injected(fault_op::pread, path);
  }
  static void count_sync(fault_injection_file_system& fs) { ++fs.file_syncs_; }
  static void note_writeback(fault_injection_file_system& fs, uint64_t offset, uint64_t length) {
    fs.writeback_hints_.emplace_back(offset, length);
  }
  static int64_t now(fault_injection_file_system& fs) { return fs.now_ms(); }
  static std::set<std::string>& locks(fault_injection_file_system& fs) { return fs.locks_; }
};

namespace {

using fs_t = fault_injection_file_system;
using access = fs_t::handle_access;

class fault_file final : public file {
 public:
  fault_file(fs_t& fs, inode_ptr ino, uint64_t epoch, std::string path, bool read_only)
      : fs_(fs), ino_(std::move(ino)), epoch_(epoch), path_(std::move(path)), read_only_(read_only) {}

  result<size_t> pread(uint64_t offset, std::span<uint8_t> out) const override {
    std::lock_guard<std::mutex> g(access::mu(fs_));
    if (dead()) return dead_error("pread");
    if (access::fail_read(fs_, path_)) return error(errc::io_error, "injected pread failure: " + path_);
    const auto& d = ino_->data;
    if (offset >= d.size()) return size_t{0};
    const size_t n = std::min<uint64_t>(out.size(), d.size() - offset);
    std::memcpy(out.data(), d.data() + offset, n);
    return n;
  }

  status pwrite(uint64_t offset, std::span<const uint8_t> data) override {
    std::lock_guard<std::mutex> g(access::mu(fs_));
    if (dead()) return dead_error("pwrite");
    if (read_only_) return error(errc::io_error, "pwrite on read-only file " + path_);
    if (!access::check(fs_, fault_op::pwrite, path_)) return error(errc::io_error, "pwrite failed: " + path_);
    auto& d = ino_->data;
    if (d.size() < offset + data.size()) d.resize(offset + data.size(), 0);
    if (!data.empty()) std::memcpy(d.data() + offset, data.data(), data.size());
    ino_->mtime_ms = access::now(fs_);
    return {};
  }

  status sync() override {
    std::lock_guard<std::mutex> g(access::mu(fs_));
    if (dead()) return dead_error("sync");
    if (!access::check(fs_, fault_op::sync, path_)) return error(errc::io_error, "sync failed: " + path_);
    ino_->durable = ino_->data;
    access::count_sync(fs_);
    return {};
  }

  void start_writeback(uint64_t offset, uint64_t length) override {
    std::lock_guard<std::mutex> g(access::mu(fs_));
    access::note_writeback(fs_, offset, length);
  }

  status truncate(uint64_t size) override {
    std::lock_guard<std::mutex> g(access::mu(fs_));
    if (dead()) return dead_error("truncate");
    if (!access::check(fs_, fault_op::truncate, path_)) return error(errc::io_error, "truncate failed: " + path_);
    ino_->data.resize(size, 0);
    ino_->mtime_ms = access::now(fs_);
    return {};
  }

  result<uint64_t> size() const override {
    std::lock_guard<std::mutex> g(access::mu(fs_));
    if (dead()) return dead_error("size");
    return static_cast<uint64_t>(ino_->data.size());
  }

  status allocate(uint64_t size) override {
    std::lock_guard<std::mutex> g(access::mu(fs_));
    if (dead()) return dead_error("allocate");
    if (!access::check(fs_, fault_op::pwrite, path_)) return error(errc::io_error, "allocate failed: " + path_);
    if (ino_->data.size() < size) ino_->data.resize(size, 0);
    return {};
  }

  result<int64_t> last_modified_ms() const override {
    std::lock_guard<std::mutex> g(access::mu(fs_));
    if (dead()) return dead_error("stat");
    return ino_->mtime_ms;
  }

  status set_last_modified_ms(int64_t ms) override {
    std::lock_guard<std::mutex> g(access::mu(fs_));
    if (dead()) return dead_error("utime");
    if (!access::check(fs_, fault_op::pwrite, path_)) return error(errc::io_error, "utime failed: " + path_);
    ino_->mtime_ms = ms;
    return {};
  }

  int native_handle() const override { return -1; }

 private:
  bool dead() const { return epoch_ != access::epoch(fs_); }
  error dead_error(const char* call) const {
    return error(errc::io_error, std::string(call) + " on a handle from before a crash: " + path_);
  }

  fs_t& fs_;
  inode_ptr ino_;
  uint64_t epoch_;
  std::string path_;
  bool read_only_;
};

class fault_lock final : public file_lock {
 public:
  fault_lock(fs_t& fs, std::string path, uint64_t epoch) : fs_(fs), path_(std::move(path)), epoch_(epoch) {}
  ~fault_lock() override {
    std::lock_guard<std::mutex> g(access::mu(fs_));
    // A lock from before a crash died with its process; it must not release a new one.
    if (access::epoch(fs_) == epoch_) access::locks(fs_).erase(path_);
  }

 private:
  fs_t& fs_;
  std::string path_;
  uint64_t epoch_;
};

void apply_op(std::map<std::string, node>& entries, const dir_op& op) {
  switch (op.kind) {
    case dir_op::add: entries[op.name] = op.target; break;
    case dir_op::remove: entries.erase(op.name); break;
    case dir_op::rename: {
      auto it = entries.find(op.name);
      if (it == entries.end()) break;
      node n = it->second;
      entries.erase(it);
      entries[op.to] = n;
      break;
    }
  }
}

}  // namespace

fault_injection_file_system::fault_injection_file_system(const clock* clk)
    : clock_(clk), root_(std::make_shared<dir_node>()) {}

fault_injection_file_system::~fault_injection_file_system() = default;

int64_t fault_injection_file_system::now_ms() const {
  if (clock_ != nullptr) return clock_->now_ms();
  return const_cast<fault_injection_file_system*>(this)->fake_time_++;
}

fault_injection_file_system::lookup_result fault_injection_file_system::lookup(const std::string& path) const {
  lookup_result r;
  const std::vector<std::string> parts = split_path(path);
  if (parts.empty()) return r;
  dir_ptr d = root_;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    auto it = d->entries.find(parts[i]);
    if (it == d->entries.end() || !it->second.dir) return r;
    d = it->second.dir;
  }
  r.parent = d;
  r.name = parts.back();
  auto it = d->entries.find(r.name);
  if (it != d->entries.end()) r.target = &it->second;
  return r;
}

bool fault_injection_file_system::fail_injected(fault_op op, const std::string& path) {
  for (auto it = injected_.begin(); it != injected_.end(); ++it) {
    if ((it->op == op || it->op == fault_op::any) && path.find(it->substring) != std::string::npos) {
      if (--it->count <= 0) injected_.erase(it);
      return true;
    }
  }
  return false;
}

bool fault_injection_file_system::check_mutation(fault_op op, const std::string& path) {
  if (frozen_) return false;
  if (mutations_left_ != UINT64_MAX) {
    if (mutations_left_ == 0) {
      frozen_ = true;
      return false;
    }
    --mutations_left_;
  }
  return !fail_injected(op, path);
}

result<std::shared_ptr<file>> fault_injection_file_system::open(const std::string& path, open_mode mode) {
  std::lock_guard<std::mutex> g(mu_);
  lookup_result l = lookup(path);
  if (!l.parent) return error(errc::not_found, "open(" + path + "): no parent directory");
  if (l.target && l.target->dir) return error(errc::io_error, "open(" + path + "): is a directory");
  const bool read_only = mode == open_mode::read_only;
  if (l.target) {
    if (mode == open_mode::create_exclusive) return error(errc::already_exists, "open(" + path + ")");
    if (fail_injected(fault_op::open, path)) return error(errc::io_error, "injected open failure: " + path);
    inode_ptr ino = l.target->file;
    if (mode == open_mode::create_truncate) {
      if (!check_mutation(fault_op::truncate, path)) return error(errc::io_error, "open failed: " + path);
      ino->data.clear();
      ino->mtime_ms = now_ms();
    }
    return std::shared_ptr<file>(std::make_shared<fault_file>(*this, ino, epoch_, path, read_only));
  }
  if (mode == open_mode::read_only || mode == open_mode::read_write) {
    return error(errc::not_found, "open(" + path + ")");
  }
  if (!check_mutation(fault_op::open, path)) return error(errc::io_error, "open failed: " + path);
  auto ino = std::make_shared<inode>();
  ino->id = next_inode_++;
  ino->mtime_ms = now_ms();
  node n{ino, nullptr};
  l.parent->entries[l.name] = n;
  l.parent->unsynced.push_back({dir_op::add, l.name, {}, n});
  return std::shared_ptr<file>(std::make_shared<fault_file>(*this, ino, epoch_, path, false));
}

status fault_injection_file_system::rename(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> g(mu_);
  lookup_result a = lookup(from);
  lookup_result b = lookup(to);
  if (!a.target) return error(errc::not_found, "rename(" + from + ")");
  if (!b.parent) return error(errc::not_found, "rename(" + to + "): no parent directory");
  if (!check_mutation(fault_op::rename, from)) return error(errc::io_error, "rename failed: " + from);
  node n = *a.target;
  if (a.parent == b.parent) {
    a.parent->entries.erase(a.name);
    a.parent->entries[b.name] = n;
    a.parent->unsynced.push_back({dir_op::rename, a.name, b.name, {}});
  } else {
    // Across directories: two independent entry operations (see the header).
    a.parent->entries.erase(a.name);
    a.parent->unsynced.push_back({dir_op::remove, a.name, {}, {}});
    b.parent->entries[b.name] = n;
    b.parent->unsynced.push_back({dir_op::add, b.name, {}, n});
  }
  return {};
}

status fault_injection_file_system::remove(const std::string& path) {
  std::lock_guard<std::mutex> g(mu_);
  lookup_result l = lookup(path);
  if (!l.target) return error(errc::not_found, "remove(" + path + ")");
  if (l.target->dir) return error(errc::io_error, "remove(" + path + "): is a directory");
  if (!check_mutation(fault_op::remove, path)) return error(errc::io_error, "remove failed: " + path);
  l.parent->entries.erase(l.name);
  l.parent->unsynced.push_back({dir_op::remove, l.name, {}, {}});
  return {};
}

status fault_injection_file_system::remove_dir(const std::string& path) {
  std::lock_guard<std::mutex> g(mu_);
  lookup_result l = lookup(path);
  if (!l.target) return error(errc::not_found, "rmdir(" + path + ")");
  if (!l.target->dir) return error(errc::io_error, "rmdir(" + path + "): not a directory");
  if (!l.target->dir->entries.empty()) return error(errc::io_error, "rmdir(" + path + "): not empty");
  if (!check_mutation(fault_op::remove, path)) return error(errc::io_error, "rmdir failed: " + path);
  l.parent->entries.erase(l.name);
  l.parent->unsynced.push_back({dir_op::remove, l.name, {}, {}});
  return {};
}

status fault_injection_file_system::make_dir(const std::string& path) {
  std::lock_guard<std::mutex> g(mu_);
  lookup_result l = lookup(path);
  if (!l.parent) return error(errc::not_found, "mkdir(" + path + "): no parent directory");
  if (l.target) return error(errc::already_exists, "mkdir(" + path + ")");
  if (!check_mutation(fault_op::make_dir, path)) return error(errc::io_error, "mkdir failed: " + path);
  node n{nullptr, std::make_shared<dir_node>()};
  l.parent->entries[l.name] = n;
  l.parent->unsynced.push_back({dir_op::add, l.name, {}, n});
  return {};
}

status fault_injection_file_system::sync_dir(const std::string& path) {
  std::lock_guard<std::mutex> g(mu_);
  dir_ptr d;
  if (split_path(path).empty()) {
    d = root_;
  } else {
    lookup_result l = lookup(path);
    if (!l.target || !l.target->dir) return error(errc::not_found, "sync_dir(" + path + ")");
    d = l.target->dir;
  }
  if (!check_mutation(fault_op::sync_dir, path)) return error(errc::io_error, "sync_dir failed: " + path);
  d->durable = d->entries;
  d->unsynced.clear();
  ++dir_syncs_;
  return {};
}

result<std::vector<dir_entry>> fault_injection_file_system::list_dir(const std::string& path) const {
  std::lock_guard<std::mutex> g(mu_);
  dir_ptr d;
  if (split_path(path).empty()) {
    d = root_;
  } else {
    lookup_result l = lookup(path);
    if (!l.target || !l.target->dir) return error(errc::not_found, "list_dir(" + path + ")");
    d = l.target->dir;
  }
  std::vector<dir_entry> out;
  for (const auto& [name, n] : d->entries) out.push_back({name, n.dir != nullptr});
  return out;
}

bool fault_injection_file_system::exists(const std::string& path) const {
  std::lock_guard<std::mutex> g(mu_);
  if (split_path(path).empty()) return true;
  return lookup(path).target != nullptr;
}

bool fault_injection_file_system::is_dir(const std::string& path) const {
  std::lock_guard<std::mutex> g(mu_);
  if (split_path(path).empty()) return true;
  const lookup_result l = lookup(path);
  return l.target != nullptr && l.target->dir != nullptr;
}

result<std::unique_ptr<file_lock>> fault_injection_file_system::lock(const std::string& path) {
  std::lock_guard<std::mutex> g(mu_);
  if (locks_.count(path)) return error(errc::io_error, "lock(" + path + "): held");
  locks_.insert(path);
  return std::unique_ptr<file_lock>(std::make_unique<fault_lock>(*this, path, epoch_));
}

void fault_injection_file_system::crash(uint64_t seed, crash_mode mode) {
  std::lock_guard<std::mutex> g(mu_);
  std::mt19937_64 rng(seed);
  auto uniform = [&](uint64_t lo, uint64_t hi) {  // inclusive
    return std::uniform_int_distribution<uint64_t>(lo, hi)(rng);
  };
  std::vector<dir_ptr> stack{root_};
  std::unordered_set<const dir_node*> seen_dirs;
  std::unordered_set<const inode*> seen_files;
  std::vector<inode_ptr> files;
  while (!stack.empty()) {
    dir_ptr d = stack.back();
    stack.pop_back();
    if (!seen_dirs.insert(d.get()).second) continue;
    std::map<std::string, node> entries = d->durable;
    size_t keep = 0;
    if (mode == crash_mode::keep_unsynced) keep = d->unsynced.size();
    if (mode == crash_mode::random_pages || mode == crash_mode::random_pages_and_tear) {
      keep = uniform(0, d->unsynced.size());
    }
    for (size_t i = 0; i < keep; ++i) apply_op(entries, d->unsynced[i]);
    d->entries = entries;
    d->durable = entries;
    d->unsynced.clear();
    for (auto& [name, n] : d->entries) {
      if (n.dir) stack.push_back(n.dir);
      if (n.file && seen_files.insert(n.file.get()).second) files.push_back(n.file);
    }
  }
  for (const inode_ptr& f : files) {
    std::vector<uint8_t>& cur = f->data;
    std::vector<uint8_t>& dur = f->durable;
    if (mode == crash_mode::drop_unsynced) {
      cur = dur;
      continue;
    }
    if (mode == crash_mode::keep_unsynced) {
      dur = cur;
      continue;
    }
    const uint64_t lo = std::min(cur.size(), dur.size());
    const uint64_t hi = std::max(cur.size(), dur.size());
    const uint64_t new_size = uniform(lo, hi);
    std::vector<uint8_t> out(new_size, 0);
    // Pages written since the last sync keep their old or new contents; a torn
    // page mixes old and new 512-byte sectors (a device writes a sector
    // atomically, not a page). Synced bytes are the same in both versions, so
    // they survive whatever is chosen.
    std::vector<uint64_t> fresh_sectors;  // sectors holding only bytes written since the sync
    for (uint64_t page_start = 0; page_start < new_size; page_start += kPage) {
      const uint64_t end = std::min<uint64_t>(new_size, page_start + kPage);
      std::optional<uint64_t> first_change;
      for (uint64_t i = page_start; i < end && !first_change; ++i) {
        const uint8_t a = i < cur.size() ? cur[i] : 0;
        const uint8_t b = i < dur.size() ? dur[i] : 0;
        if (a != b || i >= dur.size()) first_change = i;
      }
      const uint64_t choice = first_change ? uniform(0, 2) : 0;  // 0 old, 1 new, 2 torn
      for (uint64_t sector = page_start; sector < end; sector += kSector) {
        const bool take_new = choice == 1 || (choice == 2 && uniform(0, 1) == 1);
        const std::vector<uint8_t>& src = take_new ? cur : dur;
        const uint64_t sector_end = std::min(end, sector + kSector);
        for (uint64_t i = sector; i < sector_end; ++i) out[i] = i < src.size() ? src[i] : 0;
        if (first_change && sector >= *first_change) fresh_sectors.push_back(sector);
      }
    }
    if (mode == crash_mode::random_pages_and_tear && !fresh_sectors.empty()) {
      // A sector that was being written when the power failed reads back as garbage.
      const uint64_t sector = fresh_sectors[uniform(0, fresh_sectors.size() - 1)];
      const uint64_t end = std::min<uint64_t>(new_size, sector + kSector);
      for (uint64_t i = sector; i < end; ++i) out[i] = static_cast<uint8_t>(rng());
    }
    cur = out;
    dur = out;
  }
  ++epoch_;
  frozen_ = false;
  mutations_left_ = UINT64_MAX;
  injected_.clear();
  locks_.clear();
}

void fault_injection_file_system::freeze_after(uint64_t mutations) {
  std::lock_guard<std::mutex> g(mu_);
  mutations_left_ = mutations;
}

bool fault_injection_file_system::frozen() const {
  std::lock_guard<std::mutex> g(mu_);
  return frozen_;
}

void fault_injection_file_system::inject_error(fault_op op, std::string path_substring, int count) {
  std::lock_guard<std::mutex> g(mu_);
  injected_.push_back({op, std::move(path_substring), count});
}

std::vector<std::pair<uint64_t, uint64_t>> fault_injection_file_system::writeback_hints() const {
  std::lock_guard<std::mutex> g(mu_);
  return writeback_hints_;
}

uint64_t fault_injection_file_system::file_syncs() const {
  std::lock_guard<std::mutex> g(mu_);
  return file_syncs_;
}

uint64_t fault_injection_file_system::dir_syncs() const {
  std::lock_guard<std::mutex> g(mu_);
  return dir_syncs_;
}

result<uint64_t> fault_injection_file_system::durable_size(const std::string& path) const {
  std::lock_guard<std::mutex> g(mu_);
  const lookup_result l = lookup(path);
  if (!l.target || !l.target->file) return error(errc::not_found, path);
  return static_cast<uint64_t>(l.target->file->durable.size());
}

void fault_injection_file_system::make_dirs_durable(const std::string& path) {
  std::lock_guard<std::mutex> g(mu_);
  dir_ptr d = root_;
  for (const std::string& part : split_path(path)) {
    auto it = d->entries.find(part);
    if (it == d->entries.end()) {
      node n{nullptr, std::make_shared<dir_node>()};
      d->entries[part] = n;
      d->durable[part] = n;
      d = n.dir;
    } else {
      d->durable[part] = it->second;
      d = it->second.dir;
    }
  }
}

}  // namespace samsa::storage::io
