#include "storage/segment/segment.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "storage/durability/flush_worker.h"
#include "storage/io/posix_file_system.h"
#include "storage/segment/file_batch_reader.h"
#include "storage/test/log_fixture.h"

namespace samsa::storage {
namespace {

using namespace testing;

class Segment : public ::testing::Test {
 protected:
  void SetUp() override {
    fs.make_dirs_durable("/s");
    opts.index_interval_bytes = 100;
    seg = *segment::create(fs, cache, "/s", offset{100}, opts, kT0);
  }
  // Appends n batches of 3 records at consecutive offsets; returns their positions.
  std::vector<uint64_t> fill(int n) {
    std::vector<uint64_t> positions;
    for (int i = 0; i < n; ++i) {
      batch_spec s;
      s.base_offset = next;
      for (int r = 0; r < 3; ++r) s.records.push_back({"k", std::string(50, 'v'), kT0 + next + r});
      std::vector<uint8_t> b = make_batch(s);
      positions.push_back(seg->size_bytes());
      EXPECT_TRUE(seg->append(offset{next + 2}, kT0 + next + 2, offset{next + 2}, b));
      next += 3;
    }
    return positions;
  }
  io::fault_injection_file_system fs;
  std::shared_ptr<io::open_file_cache> cache = std::make_shared<io::open_file_cache>(8);
  segment_options opts;
  std::shared_ptr<segment> seg;
  int64_t next = 100;
};

TEST_F(Segment, TranslatesOffsetsToTheBatchThatHoldsThem) {
  auto positions = fill(10);
  for (int i = 0; i < 10; ++i) {
    auto t = seg->translate_offset(offset{100 + 3 * i + 1});
    ASSERT_TRUE(t);
    ASSERT_TRUE(*t);
    EXPECT_EQ((*t)->position, positions[i]);
    EXPECT_EQ((*t)->last_offset, offset{100 + 3 * i + 2});
  }
  EXPECT_FALSE(*seg->translate_offset(offset{200}));
  EXPECT_EQ(*seg->read_next_offset(), offset{130});
}

TEST_F(Segment, ReadsStopAtTheLastWholeBatchWithinTheLimits) {
  auto positions = fill(10);
  const uint64_t batch = positions[1] - positions[0];
  auto r = seg->read(offset{103}, static_cast<int64_t>(batch * 2 + batch / 2), seg->size_bytes(), false);
  ASSERT_TRUE(r);
  ASSERT_TRUE(*r);
  EXPECT_EQ((*r)->start_position, positions[1]);
  EXPECT_EQ((*r)->length, 2 * batch);
  auto capped = seg->read(offset{100}, 1 << 20, positions[4], false);
  EXPECT_EQ((*capped)->length, positions[4]);
}

TEST_F(Segment, RecoveryCutsATornTailAndRebuildsTheIndexes) {
  fill(6);
  const uint64_t good = seg->size_bytes();
  auto f = *seg->log_file();
  std::vector<uint8_t> junk(40, 0xab);
  ASSERT_TRUE(f->pwrite(good, junk));
  int batches = 0;
  auto cut = seg->recover([&](const protocol::batch_view&) { ++batches; });
  ASSERT_TRUE(cut);
  EXPECT_EQ(*cut, 40u);
  EXPECT_EQ(batches, 6);
  EXPECT_EQ(seg->size_bytes(), good);
  EXPECT_EQ(*f->size(), good);
  EXPECT_GT((*seg->offset_idx())->entries(), 0u);
  EXPECT_EQ(seg->max_timestamp_so_far(), kT0 + 117);
}

TEST_F(Segment, RecoveryRefusesOffsetsThatGoBackwards) {
  fill(2);
  batch_spec s;
  s.base_offset = 101;  // overlaps the first batch
  s.records = {{"k", "v"}};
  std::vector<uint8_t> b = make_batch(s);
  ASSERT_TRUE((*seg->log_file())->pwrite(seg->size_bytes(), b));
  auto cut = seg->recover(nullptr);
  ASSERT_TRUE(cut);
  EXPECT_EQ(*cut, b.size());
}

TEST_F(Segment, SealingWritesIndexFilesThatLoadBackTheSame) {
  fill(8);
  const size_t entries = (*seg->offset_idx())->entries();
  ASSERT_TRUE(seg->seal());
  EXPECT_TRUE(seg->is_sealed());
  ASSERT_TRUE(seg->flush());
  EXPECT_TRUE(seg->fully_flushed());
  auto reopened = segment::open_existing(fs, cache, "/s", offset{100}, opts, false, kT0);
  ASSERT_TRUE(reopened);
  EXPECT_EQ((*(*reopened)->offset_idx())->entries(), entries);
  EXPECT_EQ((*reopened)->max_timestamp_so_far(), seg->max_timestamp_so_far());
  EXPECT_TRUE((*reopened)->validate_tail());
}

TEST_F(Segment, RollsWhenAnIndexIsFull) {
  opts.max_offset_index_entries = 2;
  seg = *segment::create(fs, cache, "/s", offset{0}, opts, kT0);
  next = 0;
  roll_params p;
  p.max_segment_bytes = 1 << 30;
  p.max_segment_ms = INT64_MAX / 2;
  p.max_offset_in_messages = offset{0};
  EXPECT_FALSE(seg->should_roll(p));
  fill(5);
  EXPECT_TRUE(seg->should_roll(p));
}

TEST_F(Segment, ReopeningAsActiveLeavesTheSealedObjectAsItWas) {
  fill(4);
  ASSERT_TRUE(seg->seal());
  const uint64_t size = seg->size_bytes();
  auto active = seg->reopen_as_active();
  ASSERT_TRUE(active);
  ASSERT_TRUE((*active)->truncate_to(offset{106}, kT0));
  EXPECT_LT((*active)->size_bytes(), size);
  EXPECT_EQ(seg->size_bytes(), size);
  EXPECT_TRUE(seg->is_sealed());
  EXPECT_FALSE((*active)->is_sealed());
}

// A directory under /tmp, removed with everything in it at the end of the test.
struct temp_dir {
  temp_dir() {
    char tmpl[] = "/tmp/samsa-segment-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
  std::string path;
};

// Blocks the file system has allocated (or reserved) for `path`, in bytes.
uint64_t allocated_bytes(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.st_blocks) * 512;
}

TEST(SegmentOnDisk, ReservesBlocksAheadOfItsEndWithoutGrowingAndSealingGivesThemBack) {
  const temp_dir tmp;
  const std::string& dir = tmp.path;
  {
    // Only where the file system can reserve without growing the file.
    const std::string probe = dir + "/probe";
    const int fd = ::open(probe.c_str(), O_RDWR | O_CREAT, 0644);
    ASSERT_GE(fd, 0);
    const bool supported = ::fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 1 << 20) == 0;
    ::close(fd);
    ::unlink(probe.c_str());
    if (!supported) GTEST_SKIP() << "fallocate(FALLOC_FL_KEEP_SIZE) is not supported under /tmp";
  }
  io::posix_file_system fs;
  auto cache = std::make_shared<io::open_file_cache>(8);
  segment_options opts;
  opts.reserve_limit_bytes = 1 << 30;
  auto seg = *segment::create(fs, cache, dir, offset{0}, opts, kT0);
  batch_spec s;
  for (int r = 0; r < 10; ++r) s.records.push_back({"k", std::string(1000, 'v'), kT0});
  const std::vector<uint8_t> b = make_batch(s);
  ASSERT_TRUE(seg->append(offset{9}, kT0, offset{9}, b));
  const std::string path = seg->log_path();
  // The file ends where the batch ends; the blocks reach a reservation step past it.
  EXPECT_EQ(std::filesystem::file_size(path), b.size());
  EXPECT_GE(allocated_bytes(path), b.size() + segment::kMinReserveStep);
  ASSERT_TRUE(seg->seal());
  EXPECT_EQ(std::filesystem::file_size(path), b.size());
  EXPECT_LT(allocated_bytes(path), b.size() + segment::kMinReserveStep);
}

TEST(SegmentOnDisk, NeverReservesPastTheSegmentSize) {
  const temp_dir tmp;
  const std::string& dir = tmp.path;
  io::posix_file_system fs;
  auto cache = std::make_shared<io::open_file_cache>(8);
  segment_options opts;
  opts.reserve_limit_bytes = 16 << 10;  // below one reservation step
  auto seg = *segment::create(fs, cache, dir, offset{0}, opts, kT0);
  batch_spec s;
  for (int r = 0; r < 4; ++r) s.records.push_back({"k", std::string(1000, 'v'), kT0});
  const std::vector<uint8_t> b = make_batch(s);
  ASSERT_TRUE(seg->append(offset{3}, kT0, offset{3}, b));
  EXPECT_LE(allocated_bytes(seg->log_path()), uint64_t{16 << 10});
}

class counting_log final : public flushable {
 public:
  void run_flush() override { ++runs; }
  int runs = 0;
};

TEST(FlushWorker, RunsQueuedPassesAndSkipsLogsThatWentAway) {
  flush_worker w("t");
  auto a = std::make_shared<counting_log>();
  auto b = std::make_shared<counting_log>();
  w.schedule(a);
  w.schedule(b);
  b.reset();
  EXPECT_EQ(w.run_pending(), 1u);
  EXPECT_EQ(a->runs, 1);
  EXPECT_EQ(w.run_pending(), 0u);
}

}  // namespace
}  // namespace samsa::storage
