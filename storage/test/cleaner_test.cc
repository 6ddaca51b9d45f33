// Log compaction.

#include <gtest/gtest.h>

#include <map>

#include "storage/test/manager_fixture.h"

namespace samsa::storage {
namespace {

using namespace testing;

class Cleaner : public manager_fixture {
 protected:
  void SetUp() override {
    manager_fixture::SetUp();
    dirs = {"/data"};
    config.cleanup_compact = true;
    config.cleanup_delete = false;
    config.segment_bytes = 600;
    config.min_cleanable_dirty_ratio = 0.01;
    open_manager();
    log = create("compacted", 0);
  }
  void put(const std::string& key, std::optional<std::string> value, int64_t ts = kT0) {
    batch_spec s;
    s.records = {{key, std::move(value), ts}};
    append(*log, make_batch(s));
  }
  // The latest value per key as a consumer reading the whole log would see it.
  std::map<std::string, std::optional<std::string>> latest() {
    std::map<std::string, std::optional<std::string>> m;
    for (const read_record& r : read_all(*log)) {
      if (!r.control && r.key) m[*r.key] = r.value;
    }
    return m;
  }
  size_t record_count() { return read_all(*log).size(); }
  bool clean() {
    log->update_high_watermark(log->log_end_offset());
    auto r = manager->run_cleaner_once();
    EXPECT_TRUE(r) << r.error();
    return r && *r;
  }
  std::shared_ptr<partition_log> log;
};

TEST_F(Cleaner, KeepsOnlyTheLatestRecordOfEachKeyBelowTheActiveSegment) {
  for (int round = 0; round < 6; ++round) {
    for (int k = 0; k < 4; ++k) put("key" + std::to_string(k), "round" + std::to_string(round));
  }
  ASSERT_TRUE(log->roll());
  const auto before = latest();
  const size_t records_before = record_count();
  ASSERT_TRUE(clean());
  EXPECT_EQ(latest(), before);
  EXPECT_EQ(record_count(), 4u);
  EXPECT_LT(record_count(), records_before);
  EXPECT_EQ(manager->cleaner_checkpoint(topic_partition{"compacted", 0}), log->log_end_offset());
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
  // Offsets do not move: the surviving records keep theirs.
  EXPECT_EQ(read_all(*log).back().offset, 23);
}

TEST_F(Cleaner, LeavesALogAloneWhenItIsNotDirtyEnough) {
  log_config c = config;
  c.min_cleanable_dirty_ratio = 0.99;
  log->update_config(c);
  for (int k = 0; k < 10; ++k) put("k" + std::to_string(k), "v");
  ASSERT_TRUE(log->roll());
  EXPECT_TRUE(clean());  // never cleaned: everything is dirty (ratio 1)
  put("k0", "again");
  ASSERT_TRUE(log->roll());
  EXPECT_FALSE(clean());  // one dirty record against ten clean ones

}

TEST_F(Cleaner, TombstonesStayForDeleteRetentionMsThenGo) {
  put("a", "1");
  put("b", "1");
  put("a", std::nullopt);  // tombstone
  ASSERT_TRUE(log->roll());
  ASSERT_TRUE(clean());
  auto after_first = latest();
  ASSERT_TRUE(after_first.count("a"));
  EXPECT_FALSE(after_first["a"].has_value());
  // Later, past the delete horizon the first cleaning wrote into the batch.
  clock.advance_ms(config.delete_retention_ms + 1);
  put("c", "1");
  ASSERT_TRUE(log->roll());
  ASSERT_TRUE(clean());
  auto after_second = latest();
  EXPECT_FALSE(after_second.count("a"));
  EXPECT_TRUE(after_second.count("b"));
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
}

TEST_F(Cleaner, DropsAbortedTransactionsAndKeepsCommittedOnes) {
  append(*log, idempotent_batch(21, 0, 0, 2, true));  // k0,k1 aborted
  append(*log, idempotent_batch(22, 0, 0, 2, true));  // k0,k1 committed
  ASSERT_TRUE(log->append_as_leader(*std::make_unique<std::vector<uint8_t>>(marker_batch(21, 0, false)),
                                    leader_epoch{0}, append_origin::coordinator));
  ASSERT_TRUE(log->append_as_leader(*std::make_unique<std::vector<uint8_t>>(marker_batch(22, 0, true)),
                                    leader_epoch{0}, append_origin::coordinator));
  put("x", "y");
  ASSERT_TRUE(log->roll());
  ASSERT_TRUE(clean());
  int data_from_21 = 0;
  for (const read_record& r : read_all(*log)) {
    if (!r.control && r.offset < 2) ++data_from_21;
  }
  EXPECT_EQ(data_from_21, 0);
  EXPECT_TRUE(latest().count("k0"));
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
}

TEST_F(Cleaner, KeepsEachActiveProducersLastSequenceSoRetriesStayDeduplicated) {
  append(*log, idempotent_batch(5, 0, 0, 1));  // key k0
  append(*log, idempotent_batch(5, 0, 1, 1));  // key k1
  put("k1", "overwrites producer 5's last record");
  ASSERT_TRUE(log->roll());
  ASSERT_TRUE(clean());
  clean_restart();
  log = manager->get_log(topic_partition{"compacted", 0});
  auto p = log->producer_state(producer_id{5});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->last_seq(), 1);
  auto dup = log->append_as_leader(*std::make_unique<std::vector<uint8_t>>(idempotent_batch(5, 0, 1, 1)), leader_epoch{0});
  ASSERT_TRUE(dup);
  EXPECT_TRUE(dup->duplicate);
}

TEST_F(Cleaner, RefusesToSwapAfterTheLogWasTruncatedUnderIt) {
  for (int i = 0; i < 10; ++i) put("k" + std::to_string(i % 2), std::to_string(i));
  ASSERT_TRUE(log->roll());
  log->update_high_watermark(log->log_end_offset());
  cleaner_view v = log->cleaner_snapshot();
  cleanable_range r = compute_cleanable_range(v, std::nullopt, clock.now_ms());
  ASSERT_TRUE(log->truncate_to(offset{6}));
  log_cleaner c(fs, clock, manager->file_cache(), cleaner_config{});
  auto out = c.clean(*log, v, r);
  ASSERT_TRUE(out) << out.error();
  EXPECT_FALSE(*out);
  EXPECT_EQ(record_count(), 6u);
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
  auto files = fs.list_dir(log->dir());
  ASSERT_TRUE(files);
  for (const auto& e : *files) EXPECT_FALSE(ends_with(e.name, ".cleaned")) << e.name;
}

TEST_F(Cleaner, ACrashAnywhereInACleaningLosesNoLatestValue) {
  for (int i = 0; i < 30; ++i) put("k" + std::to_string(i % 5), "v" + std::to_string(i));
  ASSERT_TRUE(log->roll());
  ASSERT_TRUE(flush(*log));
  const auto expected = latest();
  ASSERT_TRUE(manager->shutdown());
  manager.reset();
  bool saw_compacted = false;
  for (uint64_t budget = 0; budget < 90; budget += 2) {
    open_manager();
    log = manager->get_log(topic_partition{"compacted", 0});
    ASSERT_TRUE(log);
    ASSERT_EQ(latest(), expected) << "budget " << budget;
    ASSERT_TRUE(log->check_consistency()) << "budget " << budget << ": " << log->check_consistency().error();
    if (record_count() < 30) saw_compacted = true;
    log->update_high_watermark(log->log_end_offset());
    fs.freeze_after(budget);
    (void)manager->run_cleaner_once();
    manager.reset();
    fs.crash(budget, io::crash_mode::random_pages_and_tear);
  }
  open_manager();
  log = manager->get_log(topic_partition{"compacted", 0});
  EXPECT_EQ(latest(), expected);
  EXPECT_TRUE(log->check_consistency()) << log->check_consistency().error();
  EXPECT_TRUE(saw_compacted) << "no crash point came after a completed swap";
}

TEST(CleanableRange, StopsAtTheActiveSegmentAndTheMinimumCompactionLag) {
  io::manual_clock clock{kT0};
  io::fault_injection_file_system fs{&clock};
  fs.make_dirs_durable("/d");
  auto cache = std::make_shared<io::open_file_cache>(8);
  partition_log_params p;
  p.fs = &fs;
  p.clock = &clock;
  p.file_cache = cache;
  p.dir = "/d/t-0";
  p.tp = topic_partition{"t", 0};
  p.config.cleanup_compact = true;
  auto log = *partition_log::open(p);
  auto put = [&](int64_t ts) {
    batch_spec s;
    s.records = {{"k", "v", ts}};
    std::vector<uint8_t> b = make_batch(s);
    ASSERT_TRUE(log->append_as_leader(b, leader_epoch{0}));
    ASSERT_TRUE(log->roll());
  };
  put(kT0);
  put(kT0 + 10'000);
  put(kT0 + 20'000);
  log->update_high_watermark(log->log_end_offset());
  cleaner_view v = log->cleaner_snapshot();
  v.config.min_compaction_lag_ms = 15'000;
  cleanable_range r = compute_cleanable_range(v, std::nullopt, kT0 + 30'000);
  EXPECT_EQ(r.first_dirty, offset{0});
  EXPECT_EQ(r.first_uncleanable, offset{2});  // the third segment is younger than the lag
  v.config.min_compaction_lag_ms = 0;
  EXPECT_EQ(compute_cleanable_range(v, std::nullopt, kT0 + 30'000).first_uncleanable, offset{3});
  EXPECT_EQ(compute_cleanable_range(v, offset{99}, kT0).first_dirty, offset{0});  // past the end: reset
  EXPECT_TRUE(compute_cleanable_range(v, offset{99}, kT0).force_update_checkpoint);
  v.config.max_compaction_lag_ms = 5'000;
  EXPECT_TRUE(compute_cleanable_range(v, offset{1}, kT0 + 30'000).need_compaction_now);
}

}  // namespace
}  // namespace samsa::storage
