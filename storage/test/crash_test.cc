// Randomised crash testing over the fault-injecting file system.
//
// Each seed drives a log manager with two partitions through random appends
// (plain and idempotent, changing leader epochs), flush requests, flush passes,
// rolls, checkpoint writes, truncations and clean restarts, and crashes it at
// random points, sometimes in the middle of an operation (the file system
// freezes after a random number of mutations), losing or tearing what was not
// synced. After every restart it checks, against a model of what was written:
//   1. every batch whose flush was acknowledged is present, byte for byte;
//   2. every batch present is one that was written at that offset (nothing torn,
//      nothing half-visible), and offsets are contiguous from the log start;
//   3. the segments, offset and time indexes agree with the log (check_consistency);
//   4. producer state matches the last batch of each producer in the log;
//   5. the leader epoch cache maps every batch to the epoch stamped in it.
// Seeds: SAMSA_CRASH_SEEDS (default 5000), time cap SAMSA_CRASH_SECONDS (default 45);
// SAMSA_CRASH_FIRST_SEED replays from a given seed.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>

#include "storage/test/manager_fixture.h"

namespace samsa::storage {
namespace {

using namespace testing;

struct model_batch {
  int64_t base = 0;
  int64_t last = 0;
  std::vector<uint8_t> bytes;
  int64_t pid = -1;
  int32_t last_seq = -1;
  int32_t leader_epoch = -1;
};

struct partition_model {
  std::map<int64_t, model_batch> batches;  // by base offset
  int64_t durable = 0;                     // every offset below it was acknowledged durable
  std::map<int64_t, int32_t> next_seq;     // per producer id
  int32_t leader_epoch = 0;
};

int64_t env_or(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoll(v) : fallback;
}

class crash_run {
 public:
  explicit crash_run(uint64_t seed) : seed_(seed), rng_(seed) {}

  // Returns an empty string on success, else what went wrong.
  std::string run() {
    trace_ = std::getenv("SAMSA_CRASH_TRACE") != nullptr;
    fs_.make_dirs_durable("/");
    if (!open()) return failure_;
    const int steps = 40 + static_cast<int>(rng_() % 60);
    for (int step = 0; step < steps && failure_.empty(); ++step) {
      const int op = static_cast<int>(rng_() % 100);
      if (trace_) {
        std::printf("step %d op %d:", step, op);
        for (int p = 0; p < kPartitions; ++p) {
          auto l = log(p);
          std::printf(" p%d[leo %lld rp %lld durable %lld segs %zu]", p, (long long)l->log_end_offset().value(),
                      (long long)l->recovery_point().value(), (long long)model(p).durable, l->number_of_segments());
        }
        std::printf("\n");
      }
      if (op < 45) do_append();
      else if (op < 60) do_request_flush();
      else if (op < 72) manager_->run_flush_workers();
      else if (op < 76) do_roll();
      else if (op < 80) (void)manager_->write_recovery_point_checkpoints();
      else if (op < 83) do_truncate();
      else if (op < 85) do_clean_restart();
      else if (op < 93) do_crash(false);
      else do_crash(true);
    }
    if (failure_.empty()) do_crash(rng_() % 2 == 0);
    return failure_;
  }

 private:
  static constexpr int kPartitions = 2;

  topic_partition tp(int p) const { return topic_partition{"crash", p}; }
  partition_model& model(int p) { return models_[p]; }
  std::shared_ptr<partition_log> log(int p) { return manager_->get_log(tp(p)); }

  bool fail(const std::string& why) {
    if (failure_.empty()) failure_ = why;
    return false;
  }

  log_manager_config config() {
    log_manager_config c;
    c.log_dirs = {"/d0", "/d1"};
    c.background_threads = false;
    c.default_config.segment_bytes = 4096 + static_cast<int32_t>(seed_ % 4) * 2048;
    c.default_config.index_interval_bytes = 256 << (seed_ % 3);
    c.default_config.segment_index_bytes = 4096;
    c.num_recovery_threads_per_data_dir = 1 + static_cast<int32_t>(seed_ % 2);
    c.max_open_segment_files = 4;
    return c;
  }

  bool open() {
    auto m = log_manager::open(fs_, clock_, config());
    if (!m) return fail("open failed: " + m.error().message);
    manager_ = std::move(*m);
    for (int p = 0; p < kPartitions; ++p) {
      auto l = manager_->get_or_create_log(tp(p));
      if (!l) return fail("create failed: " + l.error().message);
    }
    return true;
  }

  void do_append() {
    const int p = static_cast<int>(rng_() % kPartitions);
    partition_model& m = model(p);
    auto l = log(p);
    if (rng_() % 10 == 0) ++m.leader_epoch;
    batch_spec s;
    const int n = 1 + static_cast<int>(rng_() % 8);
    const size_t value_size = 1 + rng_() % 300;
    for (int i = 0; i < n; ++i) {
      s.records.push_back({"k" + std::to_string(rng_() % 50), std::string(value_size, char('a' + rng_() % 26)),
                           clock_.now_ms() + i});
    }
    if (rng_() % 3 == 0) {
      s.producer_id = 1000 + static_cast<int64_t>(rng_() % 2);
      s.producer_epoch = 0;
      s.base_sequence = m.next_seq[s.producer_id];
    }
    if (rng_() % 4 == 0) s.compression = protocol::compression_codec::lz4;
    std::vector<uint8_t> bytes = make_batch(s);
    clock_.advance_ms(static_cast<int64_t>(rng_() % 50));
    auto r = l->append_as_leader(bytes, leader_epoch{m.leader_epoch});
    if (!r) {
      fail("append failed: " + r.error().message);
      return;
    }
    if (r->duplicate) {
      fail("unexpected duplicate");
      return;
    }
    model_batch b;
    b.base = r->first_offset.value();
    b.last = r->last_offset.value();
    b.bytes = std::move(bytes);
    b.pid = s.producer_id;
    b.leader_epoch = m.leader_epoch;
    if (s.producer_id >= 0) {
      b.last_seq = increment_sequence(s.base_sequence, n - 1);
      m.next_seq[s.producer_id] = b.last_seq + 1;
    }
    m.batches[b.base] = std::move(b);
  }

  void do_request_flush() {
    const int p = static_cast<int>(rng_() % kPartitions);
    auto l = log(p);
    const int64_t up_to = l->log_end_offset().value();
    partition_model* m = &model(p);
    const uint64_t gen = generation_;
    l->request_flush(offset{up_to}, [m, up_to, gen, this](status s) {
      if (s && gen == generation_) m->durable = std::max(m->durable, up_to);
    });
  }

  void do_roll() {
    auto l = log(static_cast<int>(rng_() % kPartitions));
    if (auto s = l->roll(); !s) fail("roll failed: " + s.error().message);
  }

  void do_truncate() {
    const int p = static_cast<int>(rng_() % kPartitions);
    partition_model& m = model(p);
    auto l = log(p);
    if (m.batches.empty()) return;
    // Truncate at a batch boundary, as a follower would.
    auto it = m.batches.begin();
    std::advance(it, static_cast<long>(rng_() % m.batches.size()));
    const int64_t target = it->first;
    auto r = l->truncate_to(offset{target});
    if (!r) {
      fail("truncate failed: " + r.error().message);
      return;
    }
    m.batches.erase(m.batches.lower_bound(target), m.batches.end());
    m.durable = std::min(m.durable, target);
    reset_sequences(m);
    // A follower truncates when a new leader (a new epoch) takes over, and the
    // truncation barrier (a flush pass) runs before more data reaches the disk:
    // see "Truncation and crashes" in storage/README.md.
    ++m.leader_epoch;
    manager_->run_flush_workers();
  }

  static void reset_sequences(partition_model& m) {
    m.next_seq.clear();
    for (const auto& [base, b] : m.batches) {
      if (b.pid >= 0) m.next_seq[b.pid] = b.last_seq + 1;
    }
  }

  void do_clean_restart() {
    ++generation_;
    if (auto s = manager_->shutdown(); !s) {
      fail("shutdown failed: " + s.error().message);
      return;
    }
    manager_.reset();
    if (!open()) return;
    // Everything survives a clean shutdown.
    for (int p = 0; p < kPartitions; ++p) {
      model(p).durable = model(p).batches.empty() ? model(p).durable : model(p).batches.rbegin()->second.last + 1;
      if (!verify(p, true)) return;
    }
  }

  void do_crash(bool mid_operation) {
    if (mid_operation) {
      fs_.freeze_after(rng_() % 24);
      const int op = static_cast<int>(rng_() % 5);
      const int p = static_cast<int>(rng_() % kPartitions);
      auto l = log(p);
      std::vector<uint8_t> b = simple_batch(1 + static_cast<int>(rng_() % 5), 1 + rng_() % 400);
      switch (op) {
        case 0: (void)l->append_as_leader(b, leader_epoch{model(p).leader_epoch}); break;
        case 1: l->request_flush(l->log_end_offset(), nullptr); manager_->run_flush_workers(); break;
        case 2: (void)l->roll(); break;
        case 3: (void)manager_->write_recovery_point_checkpoints(); break;
        default: (void)manager_->shutdown(); break;
      }
      // Whatever that operation appended is unknown to the model: it must not
      // count as acknowledged, and a recovered copy of it is checked below.
    }
    ++generation_;
    manager_.reset();
    const auto mode = static_cast<io::crash_mode>(rng_() % 4);
    if (trace_) {
      std::printf("crash mid=%d mode %d\n", int(mid_operation), int(mode));
      dump("before");
    }
    fs_.crash(rng_(), mode);
    if (trace_) dump("after");
    if (!open()) return;
    for (int p = 0; p < kPartitions; ++p) {
      if (!verify(p, false)) return;
    }
  }

  void dump(const char* when) {
    for (const char* d : {"/d0/crash-0", "/d1/crash-1", "/d0/crash-1", "/d1/crash-0"}) {
      auto entries = fs_.list_dir(d);
      if (!entries) continue;
      std::printf("  %s %s:", when, d);
      for (const auto& e : *entries) {
        auto f = fs_.open(std::string(d) + "/" + e.name, io::open_mode::read_only);
        std::printf(" %s(%llu,dur %llu)", e.name.c_str(), f ? (unsigned long long)*(*f)->size() : 0ULL,
                    (unsigned long long)(fs_.durable_size(std::string(d) + "/" + e.name) ? *fs_.durable_size(std::string(d) + "/" + e.name) : 0));
      }
      std::printf("\n");
    }
  }

  // Checks a recovered log against the model and then adopts what it holds.
  bool verify(int p, bool everything) {
    partition_model& m = model(p);
    auto l = log(p);
    const std::string where = " (partition " + std::to_string(p) + ")";
    if (auto s = l->check_consistency(); !s) return fail("inconsistent after restart: " + s.error().message + where);
    const std::vector<uint8_t> bytes = read_all_bytes(*l);
    protocol::batch_iterator it(bytes);
    int64_t expect_base = l->log_start_offset().value();
    std::map<int64_t, model_batch> kept;
    std::map<int64_t, int32_t> last_seq;
    auto epochs = l->leader_epoch_entries();
    leader_epoch_cache cache(epochs);
    while (it.next()) {
      const protocol::batch_view& b = it.batch();
      const int64_t base = b.base_offset().value();
      if (base != expect_base) {
        return fail("gap or overlap at " + std::to_string(base) + ", expected " + std::to_string(expect_base) + where);
      }
      auto mb = m.batches.find(base);
      const bool known = mb != m.batches.end();
      if (known && !std::equal(b.bytes().begin(), b.bytes().end(), mb->second.bytes.begin(), mb->second.bytes.end())) {
        std::string diff;
        for (size_t i = 0; i < std::min(b.bytes().size(), mb->second.bytes.size()) && diff.size() < 200; ++i) {
          if (b.bytes()[i] != mb->second.bytes[i]) diff += " @" + std::to_string(i);
        }
        return fail("batch at " + std::to_string(base) + " differs from what was written (sizes " +
                    std::to_string(b.bytes().size()) + "/" + std::to_string(mb->second.bytes.size()) + ", bytes" +
                    diff + ")" + where);
      }
      if (!known && base < m.durable) return fail("unknown batch below the durable offset" + where);
      const auto epoch = cache.epoch_for_offset(b.base_offset());
      if (b.partition_leader_epoch().value() >= 0 && (!epoch || *epoch != b.partition_leader_epoch())) {
        std::string entries;
        for (const auto& e : epochs) entries += " (" + std::to_string(e.epoch.value()) + "," + std::to_string(e.start_offset.value()) + ")";
        return fail("leader epoch cache disagrees at " + std::to_string(base) + ": batch epoch " +
                    std::to_string(b.partition_leader_epoch().value()) + ", cache" + entries + where);
      }
      model_batch adopted;
      if (known) {
        adopted = mb->second;
      } else {
        // Appended by an operation that crashed mid-way: it is whole and valid
        // (the iterator checked its CRC), so the log may keep it.
        adopted.base = base;
        adopted.last = b.last_offset().value();
        adopted.bytes.assign(b.bytes().begin(), b.bytes().end());
        adopted.pid = b.producer_id().value();
        adopted.leader_epoch = b.partition_leader_epoch().value();
        if (adopted.pid >= 0) adopted.last_seq = increment_sequence(b.base_sequence(), b.last_offset_delta());
      }
      if (adopted.pid >= 0) last_seq[adopted.pid] = adopted.last_seq;
      expect_base = adopted.last + 1;
      kept[base] = std::move(adopted);
    }
    if (it.error()) return fail("read returned a broken batch" + where);
    if (expect_base != l->log_end_offset().value()) {
      return fail("log end offset " + std::to_string(l->log_end_offset().value()) + " but data ends at " +
                  std::to_string(expect_base) + where);
    }
    // Every acknowledged batch is there.
    for (const auto& [base, b] : m.batches) {
      if (b.last < m.durable || everything) {
        if (!kept.count(base)) {
          return fail("acknowledged batch at " + std::to_string(base) + " was lost (durable " +
                      std::to_string(m.durable) + ")" + where);
        }
      }
    }
    for (const auto& [pid, seq] : last_seq) {
      auto st = l->producer_state(producer_id{pid});
      if (!st || st->last_seq() != seq) return fail("producer state of " + std::to_string(pid) + " is wrong" + where);
    }
    m.batches = std::move(kept);
    m.durable = std::min(m.durable, l->log_end_offset().value());
    reset_sequences(m);
    return true;
  }

  uint64_t seed_;
  std::mt19937_64 rng_;
  io::manual_clock clock_{kT0};
  io::fault_injection_file_system fs_{&clock_};
  std::unique_ptr<log_manager> manager_;
  partition_model models_[kPartitions];
  uint64_t generation_ = 0;
  std::string failure_;
  bool trace_ = false;
};

TEST(CrashTest, EverySyncedBatchSurvivesRandomCrashesAndNothingTornIsVisible) {
  const int64_t seeds = env_or("SAMSA_CRASH_SEEDS", 5000);
  const int64_t seconds = env_or("SAMSA_CRASH_SECONDS", 45);
  const uint64_t first = static_cast<uint64_t>(env_or("SAMSA_CRASH_FIRST_SEED", 0));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int64_t ran = 0;
  for (uint64_t seed = first; seed < first + static_cast<uint64_t>(seeds); ++seed) {
    if (std::chrono::steady_clock::now() > deadline) break;
    crash_run run(seed);
    const std::string failure = run.run();
    ASSERT_TRUE(failure.empty()) << "seed " << seed << ": " << failure
                                 << "\nreplay: SAMSA_CRASH_FIRST_SEED=" << seed << " SAMSA_CRASH_SEEDS=1";
    ++ran;
  }
  std::printf("crash test: %lld seeds\n", static_cast<long long>(ran));
  EXPECT_GE(ran, std::min<int64_t>(seeds, 200));
}

}  // namespace
}  // namespace samsa::storage
