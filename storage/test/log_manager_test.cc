#include <gtest/gtest.h>

#include <future>

#include "storage/checkpoint/checkpoint_file.h"
#include "storage/test/manager_fixture.h"

namespace samsa::storage {
namespace {

using namespace testing;

class LogManager : public manager_fixture {
 protected:
  void SetUp() override {
    manager_fixture::SetUp();
    open_manager();
  }
};

TEST_F(LogManager, CreatesEachLogInTheDirectoryHoldingTheFewest) {
  auto a = create("t", 0);
  auto b = create("t", 1);
  auto c = create("t", 2);
  EXPECT_EQ(a->dir(), "/data0/t-0");
  EXPECT_EQ(b->dir(), "/data1/t-1");
  EXPECT_EQ(c->dir(), "/data0/t-2");
  EXPECT_EQ(create("t", 0), a);
  EXPECT_EQ(manager->all_logs().size(), 3u);
}

TEST_F(LogManager, ACleanShutdownWritesTheMarkerAndCheckpointsAndTheNextStartTrustsThem) {
  auto log = create("orders", 0);
  for (int i = 0; i < 5; ++i) append(*log, simple_batch(2));
  log->update_high_watermark(offset{8});
  ASSERT_TRUE(manager->shutdown(77));
  EXPECT_EQ(read_clean_shutdown_marker(fs, "/data0"), 77);
  auto rp = read_offset_checkpoint(fs, "/data0/recovery-point-offset-checkpoint");
  ASSERT_TRUE(rp);
  EXPECT_EQ(rp->at(topic_partition{"orders", 0}), 10);
  auto hw = read_offset_checkpoint(fs, "/data0/replication-offset-checkpoint");
  EXPECT_EQ(hw->at(topic_partition{"orders", 0}), 8);
  manager.reset();
  open_manager();
  EXPECT_TRUE(manager->had_clean_shutdown(0));
  // The marker is gone once loaded, so a crash from now on recovers.
  EXPECT_FALSE(fs.exists("/data0/.kafka_cleanshutdown"));
  auto again = manager->get_log(topic_partition{"orders", 0});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->log_end_offset(), offset{10});
  EXPECT_EQ(again->recovery_point(), offset{10});
  EXPECT_EQ(again->high_watermark(), offset{8});
  EXPECT_EQ(read_all(*again).size(), 10u);
}

TEST_F(LogManager, RemovingTheMarkerAtStartupIsDurable) {
  create("t", 0);
  clean_restart();
  fs.crash(1, io::crash_mode::drop_unsynced);
  EXPECT_FALSE(fs.exists("/data0/.kafka_cleanshutdown"));
  EXPECT_FALSE(fs.exists("/data1/.kafka_cleanshutdown"));
}

TEST_F(LogManager, WithoutAShutdownTheNextStartRecovers) {
  auto log = create("t", 0);
  append(*log, simple_batch(3));
  ASSERT_TRUE(flush(*log));
  crash_restart(1, io::crash_mode::keep_unsynced);
  EXPECT_FALSE(manager->had_clean_shutdown(0));
  auto again = manager->get_log(topic_partition{"t", 0});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->log_end_offset(), offset{3});
}

TEST_F(LogManager, DeletingALogRenamesItNowAndRemovesTheFilesAfterTheDelay) {
  auto log = create("gone", 3);
  append(*log, simple_batch(2));
  ASSERT_TRUE(manager->delete_log(topic_partition{"gone", 3}));
  EXPECT_FALSE(manager->get_log(topic_partition{"gone", 3}));
  EXPECT_FALSE(fs.exists("/data0/gone-3"));
  auto entries = fs.list_dir("/data0");
  std::string deleted;
  for (const auto& e : *entries) {
    if (ends_with(e.name, "-delete")) deleted = e.name;
  }
  ASSERT_FALSE(deleted.empty());
  EXPECT_EQ(deleted.rfind("gone-3.", 0), 0u);
  EXPECT_EQ(manager->run_deletions(), 0u);
  clock.advance_ms(60'000);
  EXPECT_EQ(manager->run_deletions(), 1u);
  EXPECT_FALSE(fs.exists("/data0/" + deleted));
  EXPECT_EQ(log->append_as_leader(*std::make_unique<std::vector<uint8_t>>(simple_batch(1)), leader_epoch{0}).code(),
            errc::log_closed);
}

TEST_F(LogManager, AnInterruptedDeleteIsFinishedAtTheNextStart) {
  auto log = create("gone", 0);
  ASSERT_TRUE(manager->delete_log(topic_partition{"gone", 0}));
  ASSERT_TRUE(fs.sync_dir("/data0"));
  clean_restart();
  EXPECT_FALSE(manager->get_log(topic_partition{"gone", 0}));
  manager->run_deletions(true);
  auto entries = fs.list_dir("/data0");
  ASSERT_TRUE(entries);
  for (const auto& e : *entries) EXPECT_FALSE(ends_with(e.name, "-delete")) << e.name;
}

TEST_F(LogManager, RetentionRunsOverEveryLogThatIsNotCompacted) {
  log_config c = config;
  c.retention_ms = 1000;
  auto log = create("old", 0, c);
  append(*log, simple_batch(2));
  ASSERT_TRUE(log->roll());
  append(*log, simple_batch(2));
  log->update_high_watermark(log->log_end_offset());
  clock.advance_ms(5000);
  EXPECT_EQ(manager->run_retention_once(), 2);
  EXPECT_EQ(log->log_start_offset(), offset{4});
  ASSERT_TRUE(manager->write_log_start_offset_checkpoints());
  EXPECT_EQ(read_offset_checkpoint(fs, "/data0/log-start-offset-checkpoint")->at(topic_partition{"old", 0}), 4);
}

TEST_F(LogManager, FlushMsFlushesLogsThatWaitedLongEnough) {
  log_config c = config;
  c.flush_ms = 1000;
  auto log = create("t", 0, c);
  append(*log, simple_batch(2));
  manager->run_flush_dirty_logs();
  manager->run_flush_workers();
  EXPECT_EQ(log->recovery_point(), offset{0});
  clock.advance_ms(1000);
  manager->run_flush_dirty_logs();
  manager->run_flush_workers();
  EXPECT_EQ(log->recovery_point(), offset{2});
}

TEST_F(LogManager, ASecondManagerCannotOpenTheSameDirectories) {
  auto other = log_manager::open(fs, clock, manager_config());
  EXPECT_FALSE(other);
}

TEST_F(LogManager, BackgroundThreadsGroupCommitAndShutDownCleanly) {
  manager.reset();
  log_manager_config c = manager_config();
  c.background_threads = true;
  auto m = log_manager::open(fs, clock, c);
  ASSERT_TRUE(m);
  auto log = (*m)->get_or_create_log(topic_partition{"bg", 0});
  ASSERT_TRUE(log);
  std::vector<std::future<bool>> done;
  std::vector<std::shared_ptr<std::promise<bool>>> promises;
  for (int i = 0; i < 20; ++i) {
    std::vector<uint8_t> b = simple_batch(2);
    auto a = (*log)->append_as_leader(b, leader_epoch{0});
    ASSERT_TRUE(a);
    auto p = std::make_shared<std::promise<bool>>();
    done.push_back(p->get_future());
    (*log)->request_flush(offset{a->last_offset.value() + 1}, [p](status s) { p->set_value(s.ok()); });
  }
  for (auto& f : done) EXPECT_TRUE(f.get());
  EXPECT_EQ((*log)->recovery_point(), offset{40});
  ASSERT_TRUE((*m)->shutdown());
}

TEST_F(LogManager, LoadsManyPartitionsOnSeveralThreads) {
  for (int p = 0; p < 40; ++p) append(*create("many", p), simple_batch(1));
  clean_restart();
  EXPECT_EQ(manager->all_logs().size(), 40u);
  for (auto& l : manager->all_logs()) EXPECT_EQ(l->log_end_offset(), offset{1});
}

}  // namespace
}  // namespace samsa::storage
