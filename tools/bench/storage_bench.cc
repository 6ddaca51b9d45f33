// Storage benchmark: the partition log against raw file I/O on the same disk,
// in the same run, with the same bytes.
//
//   storage_bench [--dir D] [--mib N] [--reps R] [--partitions P] [--skip-startup]
//
// For each batch size (1 KiB records in 16 KiB, 64 KiB, 256 KiB, 1 MiB batches):
//   raw write          write() of the batches to a file (page cache)
//   raw write, reserved  the same into a file whose blocks were reserved first
//                      (fallocate KEEP_SIZE), as the log reserves them ahead
//   raw write+sync     the same, one fdatasync at the end (time includes it)
//   append             partition_log::append_as_leader (validation, offsets, indexes)
//   append+fsync       appends with a flush request per batch, group-committed by
//                      the flush worker thread; time until the last one is durable
//   raw read           read() of the raw file in 1 MiB chunks (page cache)
//   read               partition_log::read of 1 MiB fetches, copied out of the
//                      returned file slices with pread (what a TLS connection does;
//                      plain connections sendfile the slice without copying)
// Both reads copy into a buffer at the same offset within a page as the file
// position they read from. On AMD Zen the kernel's copy (rep movsb) runs about 5x
// slower when the destination is 1-31 bytes ahead of the source within a page
// (4K aliasing), so a buffer's malloc alignment alone could swing either side.
// Then the start-up time of a log manager with P partitions after a clean shutdown.
// Medians of R repetitions; ratios are storage throughput / raw throughput.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "common/endian.h"
#include "protocol/records/batch_builder.h"
#include "storage/io/posix_file_system.h"
#include "storage/manager/log_manager.h"

using namespace samsa;
using namespace samsa::storage;
using clock_type = std::chrono::steady_clock;

namespace {

struct options {
  std::string dir = "/tmp";
  int64_t mib = 256;
  int reps = 5;
  int partitions = 1000;
  bool startup = true;
  int only_records = 0;  // 0: every batch size
};

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

std::vector<uint8_t> make_batch(int records, size_t record_size) {
  protocol::batch_builder_options o;
  protocol::batch_builder b(o);
  std::string value(record_size - 30, 'x');
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  for (int i = 0; i < records; ++i) {
    std::string key = "key-" + std::to_string(i);
    protocol::record_input in;
    in.key = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(key.data()), key.size());
    for (size_t j = 0; j < value.size(); ++j) value[j] = static_cast<char>('a' + (i + j) % 26);
    in.value = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(value.data()), value.size());
    in.timestamp_ms = now;
    if (!b.append(in)) std::abort();
  }
  return std::move(b.build()).value();
}

struct run_dir {
  explicit run_dir(const std::string& base) {
    std::string tmpl = base + "/samsa-bench-XXXXXX";
    path = ::mkdtemp(tmpl.data());
  }
  ~run_dir() { std::filesystem::remove_all(path); }
  std::string path;
};

// Writes back every dirty page first, so one phase's writeback does not throttle the next.
void settle() { ::sync(); }

void warm(const std::string& file) {
  uint64_t ignored = 0;
  const int fd = ::open(file.c_str(), O_RDONLY);
  if (fd < 0) return;
  std::vector<uint8_t> buf(1 << 20);
  while (::read(fd, buf.data(), buf.size()) > 0) ++ignored;
  ::close(fd);
}

void drop_cache(const std::string& file) {
  const int fd = ::open(file.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

// ---- raw baselines ----------------------------------------------------------------

// With `reserve`, the file's blocks are reserved first (fallocate KEEP_SIZE, not
// timed), as the log reserves them ahead of its appends: the write then skips
// block allocation.
double raw_write(const std::string& path, const std::vector<uint8_t>& batch, int64_t count, bool sync,
                 bool reserve = false) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (reserve) {
    (void)::fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, static_cast<off_t>(count * static_cast<int64_t>(batch.size())));
  }
  const auto t = clock_type::now();
  for (int64_t i = 0; i < count; ++i) {
    size_t done = 0;
    while (done < batch.size()) {
      const ssize_t n = ::write(fd, batch.data() + done, batch.size() - done);
      if (n <= 0) std::abort();
      done += static_cast<size_t>(n);
    }
  }
  if (sync) ::fdatasync(fd);
  const double s = seconds_since(t);
  ::close(fd);
  return s;
}

// A read buffer of `size` bytes that can start at any offset within a page.
class read_buffer {
 public:
  explicit read_buffer(size_t size) : base_(static_cast<uint8_t*>(std::aligned_alloc(4096, size + 4096))) {
    std::memset(base_, 0, size + 4096);
  }
  ~read_buffer() { std::free(base_); }
  read_buffer(const read_buffer&) = delete;
  read_buffer& operator=(const read_buffer&) = delete;
  // Where to copy bytes read from `file_position` (see the header comment).
  uint8_t* for_file_position(uint64_t file_position) { return base_ + file_position % 4096; }

 private:
  uint8_t* base_;
};

double raw_read(const std::string& path, uint64_t* bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  constexpr size_t kChunk = 1 << 20;
  read_buffer buf(kChunk);
  uint64_t total = 0;
  const auto t = clock_type::now();
  for (;;) {
    const ssize_t n = ::read(fd, buf.for_file_position(total), kChunk);
    if (n <= 0) break;
    total += static_cast<uint64_t>(n);
  }
  const double s = seconds_since(t);
  ::close(fd);
  *bytes = total;
  return s;
}

// ---- storage ---------------------------------------------------------------------

std::unique_ptr<log_manager> open_manager(io::file_system& fs, const io::clock& clock, const std::string& dir) {
  log_manager_config c;
  c.log_dirs = {dir};
  c.cleaner_enable = false;
  auto m = log_manager::open(fs, clock, c);
  if (!m) {
    std::fprintf(stderr, "log manager: %s\n", m.error().message.c_str());
    std::exit(1);
  }
  return std::move(*m);
}

double storage_append(const std::string& dir, std::vector<uint8_t> batch, int64_t count, bool fsync_each,
                      std::string* log_file) {
  io::posix_file_system fs;
  io::system_clock clock;
  auto m = open_manager(fs, clock, dir);
  auto log = *m->get_or_create_log(topic_partition{"bench", 0});
  std::mutex mu;
  std::condition_variable cv;
  int64_t durable = 0;
  const auto t = clock_type::now();
  for (int64_t i = 0; i < count; ++i) {
    // Producers send base offset 0; the append rewrote it last time.
    store_be<int64_t>(batch.data(), 0);
    auto a = log->append_as_leader(batch, leader_epoch{0});
    if (!a) {
      std::fprintf(stderr, "append: %s\n", a.error().message.c_str());
      std::exit(1);
    }
    if (fsync_each) {
      log->request_flush(offset{a->last_offset.value() + 1}, [&, i](status s) {
        std::lock_guard<std::mutex> g(mu);
        durable = std::max(durable, i + 1);
        cv.notify_all();
      });
    }
  }
  if (fsync_each) {
    std::unique_lock<std::mutex> lk(mu);
    cv.wait(lk, [&] { return durable == count; });
  }
  const double s = seconds_since(t);
  *log_file = dir + "/bench-0/00000000000000000000.log";
  (void)m->shutdown();
  return s;
}

double read_log(partition_log& log, uint64_t* bytes) {
  // A fetch returns at most 1 MiB, or one whole batch when the first is bigger.
  static read_buffer buf(4 << 20);
  uint64_t total = 0;
  samsa::offset next{0};
  const auto t = clock_type::now();
  for (;;) {
    auto r = log.read(next, 1 << 20, fetch_isolation::log_end, true);
    if (!r || r->size_bytes == 0) break;
    if (r->size_bytes > (4 << 20)) std::abort();
    const auto slice = r->records->as_file_slice();
    uint8_t* const p = buf.for_file_position(slice ? static_cast<uint64_t>(slice->offset) : 0);
    r->records->copy_to(p);
    total += r->size_bytes;
    // The next fetch starts after the last batch returned (what a consumer does).
    uint64_t pos = 0;
    int64_t last = next.value();
    while (pos + 61 <= r->size_bytes) {
      const int64_t base = load_be<int64_t>(p + pos);
      const int32_t len = load_be<int32_t>(p + pos + 8);
      const int32_t delta = load_be<int32_t>(p + pos + 23);
      last = base + delta;
      pos += static_cast<uint64_t>(len) + 12;
    }
    next = samsa::offset{last + 1};
  }
  *bytes = total;
  return seconds_since(t);
}

// Median times of `passes` alternating raw and storage reads of the same bytes.
std::pair<double, double> read_pair(const std::string& raw, const std::string& log_dir, int passes) {
  io::posix_file_system fs;
  io::system_clock clock;
  auto m = open_manager(fs, clock, log_dir);
  auto log = m->get_log(topic_partition{"bench", 0});
  std::vector<double> r, s;
  uint64_t bytes = 0;
  for (int i = 0; i < passes; ++i) {
    r.push_back(raw_read(raw, &bytes));
    s.push_back(read_log(*log, &bytes));
  }
  (void)m->shutdown();
  std::sort(r.begin(), r.end());
  std::sort(s.begin(), s.end());
  return {r[r.size() / 2], s[s.size() / 2]};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void bench_batch_size(const options& o, int records) {
  const std::vector<uint8_t> batch = make_batch(records, 1024);
  const int64_t count = std::max<int64_t>(1, (o.mib << 20) / static_cast<int64_t>(batch.size()));
  const double mib = static_cast<double>(count * static_cast<int64_t>(batch.size())) / (1 << 20);
  std::vector<double> rw, rwr, rws, ap, apf, rr, sr, rrc, src;
  for (int rep = 0; rep < o.reps; ++rep) {
    run_dir d(o.dir);
    const std::string raw = d.path + "/raw.bin";
    std::string log_file;
    uint64_t bytes = 0;
    // Writes, raw and storage interleaved, each after a global sync.
    settle();
    rw.push_back(raw_write(raw, batch, count, false));
    {
      run_dir l(o.dir);
      settle();
      ap.push_back(storage_append(l.path, batch, count, false, &log_file));
    }
    settle();
    rwr.push_back(raw_write(raw, batch, count, false, true));
    settle();
    rws.push_back(raw_write(raw, batch, count, true));
    run_dir l(o.dir);
    settle();
    apf.push_back(storage_append(l.path, batch, count, true, &log_file));
    // Reads from the page cache, both files warm, alternating.
    settle();
    warm(raw);
    warm(log_file);
    auto cached = read_pair(raw, l.path, 5);
    rr.push_back(cached.first);
    sr.push_back(cached.second);
    // Reads from the disk (as far as the virtual disk lets us: the host may cache).
    drop_cache(raw);
    drop_cache(log_file);
    rrc.push_back(raw_read(raw, &bytes));
    {
      io::posix_file_system fs;
      io::system_clock clock;
      auto m = open_manager(fs, clock, l.path);
      src.push_back(read_log(*m->get_log(topic_partition{"bench", 0}), &bytes));
      (void)m->shutdown();
    }
  }
  auto rate = [&](double s) { return mib / s; };
  const double raw_w = rate(median(rw)), raw_ws = rate(median(rws)), app = rate(median(ap)), appf = rate(median(apf));
  const double raw_r = rate(median(rr)), st_r = rate(median(sr)), raw_rc = rate(median(rrc)), st_rc = rate(median(src));
  std::printf("batch %4d KiB (%d x 1 KiB records), %.0f MiB per run, median of %d\n", records, records, mib, o.reps);
  const double raw_wr = rate(median(rwr));
  std::printf("  raw write              %8.0f MiB/s\n", raw_w);
  std::printf("  raw write, reserved    %8.0f MiB/s   (blocks reserved before the write, as the log does)\n", raw_wr);
  std::printf("  raw write + fdatasync  %8.0f MiB/s\n", raw_ws);
  std::printf("  append (no fsync)      %8.0f MiB/s   %5.2f x raw write   (target >= 0.80)   %5.2f x raw write, reserved\n",
              app, app / raw_w, app / raw_wr);
  std::printf("  append + group commit  %8.0f MiB/s   %5.2f x raw write   (target >= 0.60)   %5.2f x raw write+fdatasync\n",
              appf, appf / raw_w, appf / raw_ws);
  // What the disk allows any log that syncs what it wrote: even with writing and
  // syncing perfectly overlapped, it cannot beat the slower of the two (the sync
  // time is raw write+fdatasync minus raw write, measured in the same run).
  const double sync_only_s = std::max(0.0, median(rws) - median(rw));
  const double ceiling = rate(std::max(median(rw), sync_only_s));
  std::printf("  disk-bound ceiling     %8.0f MiB/s   %5.2f x raw write   (write and fdatasync fully overlapped; append + group commit = %4.2f x it)\n",
              ceiling, ceiling / raw_w, appf / ceiling);
  std::printf("  raw read (cached)      %8.0f MiB/s\n", raw_r);
  std::printf("  read (cached)          %8.0f MiB/s   %5.2f x raw read    (target >= 0.90)\n", st_r, st_r / raw_r);
  std::printf("  raw read (from disk)   %8.0f MiB/s\n", raw_rc);
  std::printf("  read (from disk)       %8.0f MiB/s   %5.2f x raw read\n", st_rc, st_rc / raw_rc);
  std::fflush(stdout);
}

void bench_startup(const options& o) {
  run_dir d(o.dir);
  io::posix_file_system fs;
  io::system_clock clock;
  const std::vector<uint8_t> proto = make_batch(8, 1024);
  {
    auto m = open_manager(fs, clock, d.path);
    for (int p = 0; p < o.partitions; ++p) {
      auto log = *m->get_or_create_log(topic_partition{"startup", p});
      for (int i = 0; i < 3; ++i) {
        std::vector<uint8_t> b = proto;
        (void)log->append_as_leader(b, leader_epoch{0});
        if (i == 1) (void)log->roll();  // two segments each
      }
    }
    if (auto s = m->shutdown(); !s) std::fprintf(stderr, "shutdown: %s\n", s.error().message.c_str());
  }
  std::vector<double> clean;
  for (int rep = 0; rep < o.reps; ++rep) {
    const auto t = clock_type::now();
    auto m = open_manager(fs, clock, d.path);
    clean.push_back(seconds_since(t) * 1000);
    if (m->all_logs().size() != static_cast<size_t>(o.partitions)) std::abort();
    (void)m->shutdown();
  }
  // And after a crash: no marker, every partition recovers its active segment.
  std::remove((d.path + "/.kafka_cleanshutdown").c_str());
  const auto t = clock_type::now();
  auto m = open_manager(fs, clock, d.path);
  const double unclean = seconds_since(t) * 1000;
  (void)m->shutdown();
  std::printf("startup with %d partitions (2 segments each), 2 recovery threads:\n", o.partitions);
  std::printf("  after a clean shutdown  %8.1f ms (median of %d)\n", median(clean), o.reps);
  std::printf("  after a crash           %8.1f ms (every active segment recovered)\n", unclean);
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--dir") o.dir = next();
    else if (a == "--mib") o.mib = std::atoll(next().c_str());
    else if (a == "--reps") o.reps = std::atoi(next().c_str());
    else if (a == "--partitions") o.partitions = std::atoi(next().c_str());
    else if (a == "--skip-startup") o.startup = false;
    else if (a == "--only") o.only_records = std::atoi(next().c_str());
    else {
      std::fprintf(stderr, "usage: %s [--dir D] [--mib N] [--reps R] [--partitions P] [--skip-startup] [--only RECORDS]\n", argv[0]);
      return 2;
    }
  }
  std::printf("storage bench in %s\n", o.dir.c_str());
  for (int records : {16, 64, 256, 1024}) {
    if (o.only_records == 0 || o.only_records == records) bench_batch_size(o, records);
  }
  if (o.startup) bench_startup(o);
  return 0;
}
