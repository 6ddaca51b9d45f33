#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "storage/io/fault_injection_file_system.h"
#include "storage/io/open_file_cache.h"
#include "storage/io/posix_file_system.h"

namespace samsa::storage::io {
namespace {

std::vector<uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

std::string read_string(file_system& fs, const std::string& path) {
  auto r = read_file(fs, path);
  if (!r) return "<" + std::string(to_string(r.code())) + ">";
  return {r->begin(), r->end()};
}

class FaultFs : public ::testing::Test {
 protected:
  void SetUp() override { fs.make_dirs_durable("/d"); }
  std::shared_ptr<file> create(const std::string& path) {
    auto f = fs.open(path, open_mode::create);
    EXPECT_TRUE(f) << f.error();
    return *f;
  }
  fault_injection_file_system fs;
};

TEST_F(FaultFs, SyncedDataSurvivesACrashAndUnsyncedDataIsDropped) {
  auto f = create("/d/a");
  ASSERT_TRUE(fs.sync_dir("/d"));
  ASSERT_TRUE(f->pwrite(0, bytes("hello")));
  ASSERT_TRUE(f->sync());
  ASSERT_TRUE(f->pwrite(5, bytes(" world")));
  fs.crash(1, crash_mode::drop_unsynced);
  EXPECT_EQ(read_string(fs, "/d/a"), "hello");
}

TEST_F(FaultFs, AFileWhoseDirectoryWasNotSyncedVanishesEvenIfTheFileWasSynced) {
  auto f = create("/d/a");
  ASSERT_TRUE(f->pwrite(0, bytes("data")));
  ASSERT_TRUE(f->sync());
  fs.crash(1, crash_mode::drop_unsynced);
  EXPECT_FALSE(fs.exists("/d/a"));
}

TEST_F(FaultFs, AnUnsyncedRenameMayBeLostButNeverHalfDone) {
  auto f = create("/d/a");
  ASSERT_TRUE(f->pwrite(0, bytes("x")));
  ASSERT_TRUE(f->sync());
  ASSERT_TRUE(fs.sync_dir("/d"));
  ASSERT_TRUE(fs.rename("/d/a", "/d/b"));
  fs.crash(7, crash_mode::drop_unsynced);
  EXPECT_TRUE(fs.exists("/d/a"));
  EXPECT_FALSE(fs.exists("/d/b"));
  for (uint64_t seed = 0; seed < 20; ++seed) {
    fault_injection_file_system g;
    g.make_dirs_durable("/d");
    auto h = g.open("/d/a", open_mode::create);
    ASSERT_TRUE((*h)->sync());
    ASSERT_TRUE(g.sync_dir("/d"));
    ASSERT_TRUE(g.rename("/d/a", "/d/b"));
    g.crash(seed, crash_mode::random_pages);
    EXPECT_NE(g.exists("/d/a"), g.exists("/d/b")) << "seed " << seed;
  }
}

TEST_F(FaultFs, RandomPagesKeepASizeBetweenTheDurableAndTheWrittenOne) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    fault_injection_file_system g;
    g.make_dirs_durable("/d");
    auto f = *g.open("/d/a", open_mode::create);
    ASSERT_TRUE(g.sync_dir("/d"));
    std::vector<uint8_t> first(5000, 'a');
    ASSERT_TRUE(f->pwrite(0, first));
    ASSERT_TRUE(f->sync());
    std::vector<uint8_t> more(9000, 'b');
    ASSERT_TRUE(f->pwrite(5000, more));
    g.crash(seed, crash_mode::random_pages_and_tear);
    auto data = read_file(g, "/d/a");
    ASSERT_TRUE(data);
    EXPECT_GE(data->size(), 5000u);
    EXPECT_LE(data->size(), 14000u);
    for (size_t i = 0; i < 4096; ++i) ASSERT_EQ((*data)[i], 'a') << "synced page changed, seed " << seed;
  }
}

TEST_F(FaultFs, HandlesFromBeforeACrashAreDead) {
  auto f = create("/d/a");
  fs.crash(1, crash_mode::keep_unsynced);
  EXPECT_EQ(f->pwrite(0, bytes("x")).code(), errc::io_error);
  std::vector<uint8_t> buf(1);
  EXPECT_FALSE(f->pread(0, buf));
}

TEST_F(FaultFs, FreezingStopsEveryMutationAfterTheBudget) {
  auto f = create("/d/a");
  fs.freeze_after(1);
  EXPECT_TRUE(f->pwrite(0, bytes("one")));
  EXPECT_FALSE(f->pwrite(3, bytes("two")));
  EXPECT_FALSE(f->sync());
  EXPECT_TRUE(fs.frozen());
  EXPECT_EQ(read_string(fs, "/d/a"), "one");
}

TEST_F(FaultFs, InjectedErrorsFailTheMatchingCallsOnly) {
  auto f = create("/d/a.log");
  auto g = create("/d/b.index");
  fs.inject_error(fault_op::sync, ".log", 1);
  EXPECT_TRUE(g->sync());
  EXPECT_EQ(f->sync().code(), errc::io_error);
  EXPECT_TRUE(f->sync());
}

TEST_F(FaultFs, AtomicWriteLeavesTheOldOrTheNewContentsAfterAnyCrash) {
  ASSERT_TRUE(write_file_atomically(fs, "/d/ckpt", bytes("old")));
  for (uint64_t n = 0; n < 8; ++n) {
    fault_injection_file_system g;
    g.make_dirs_durable("/d");
    ASSERT_TRUE(write_file_atomically(g, "/d/ckpt", bytes("old")));
    g.freeze_after(n);
    (void)write_file_atomically(g, "/d/ckpt", bytes("new contents"));
    g.crash(n, crash_mode::random_pages_and_tear);
    const std::string s = read_string(g, "/d/ckpt");
    EXPECT_TRUE(s == "old" || s == "new contents") << s;
  }
}

TEST_F(FaultFs, CountsFileAndDirectorySyncs) {
  auto f = create("/d/a");
  ASSERT_TRUE(f->sync());
  ASSERT_TRUE(f->sync());
  ASSERT_TRUE(fs.sync_dir("/d"));
  EXPECT_EQ(fs.file_syncs(), 2u);
  EXPECT_EQ(fs.dir_syncs(), 1u);
}

TEST(OpenFileCache, EvictionNeverClosesAFileSomeoneStillHolds) {
  fault_injection_file_system fs;
  fs.make_dirs_durable("/d");
  open_file_cache cache(1);
  auto a = cache.get(1, [&] { return fs.open("/d/a", open_mode::create); });
  ASSERT_TRUE(a);
  std::shared_ptr<file> held = *a;
  auto b = cache.get(2, [&] { return fs.open("/d/b", open_mode::create); });
  ASSERT_TRUE(b);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(held->pwrite(0, bytes("still usable")));
  int opens = 0;
  auto again = cache.get(2, [&] {
    ++opens;
    return fs.open("/d/b", open_mode::create);
  });
  EXPECT_EQ(opens, 0);
}

class PosixFs : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/samsa-io-XXXXXX";
    root = ::mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(root); }
  std::string root;
  posix_file_system fs;
};

TEST_F(PosixFs, WritesReadsRenamesAndLists) {
  auto f = fs.open(root + "/a", open_mode::create_exclusive);
  ASSERT_TRUE(f);
  ASSERT_TRUE((*f)->pwrite(0, bytes("abc")));
  ASSERT_TRUE((*f)->sync());
  EXPECT_GE((*f)->native_handle(), 0);
  EXPECT_EQ(fs.open(root + "/a", open_mode::create_exclusive).code(), errc::already_exists);
  EXPECT_EQ(fs.open(root + "/missing", open_mode::read_only).code(), errc::not_found);
  ASSERT_TRUE(fs.rename(root + "/a", root + "/b"));
  ASSERT_TRUE(fs.sync_dir(root));
  EXPECT_EQ(read_string(fs, root + "/b"), "abc");
  ASSERT_TRUE(fs.make_dir(root + "/sub"));
  auto list = fs.list_dir(root);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 2u);
  ASSERT_TRUE((*f)->truncate(1));
  EXPECT_EQ(*(*f)->size(), 1u);
}

TEST_F(PosixFs, ALockedDirectoryCannotBeLockedTwice) {
  auto a = fs.lock(root + "/.lock");
  ASSERT_TRUE(a);
  EXPECT_FALSE(fs.lock(root + "/.lock"));
  a->reset();
  EXPECT_TRUE(fs.lock(root + "/.lock"));
}

}  // namespace
}  // namespace samsa::storage::io
