#include <gtest/gtest.h>

#include "storage/checkpoint/checkpoint_file.h"
#include "storage/epoch/leader_epoch_cache.h"
#include "storage/io/fault_injection_file_system.h"

namespace samsa::storage {
namespace {

using le = leader_epoch;

TEST(LeaderEpochCache, AssignsOnlyNewEpochsOrEarlierStartsOfTheLatest) {
  leader_epoch_cache c;
  EXPECT_TRUE(c.assign(le{1}, offset{0}));
  EXPECT_FALSE(c.assign(le{1}, offset{5}));
  EXPECT_TRUE(c.assign(le{2}, offset{10}));
  EXPECT_FALSE(c.assign(le{-1}, offset{20}));
  EXPECT_EQ(c.entries().size(), 2u);
  // An entry that would break monotonicity removes the conflicting ones.
  EXPECT_TRUE(c.assign(le{3}, offset{5}));
  ASSERT_EQ(c.entries().size(), 2u);
  EXPECT_EQ(c.entries()[1], (epoch_entry{le{3}, offset{5}}));
}

TEST(LeaderEpochCache, AnswersOffsetForLeaderEpochLikeKafka) {
  leader_epoch_cache c;
  c.assign(le{1}, offset{0});
  c.assign(le{3}, offset{100});
  c.assign(le{5}, offset{200});
  EXPECT_EQ(c.end_offset_for(le{5}, offset{250}), (epoch_end_offset{le{5}, offset{250}}));
  EXPECT_EQ(c.end_offset_for(le{3}, offset{250}), (epoch_end_offset{le{3}, offset{200}}));
  // An epoch the log never had: the largest one below it, ending where the next begins.
  EXPECT_EQ(c.end_offset_for(le{4}, offset{250}), (epoch_end_offset{le{3}, offset{200}}));
  // Below the first epoch: the requested epoch, ending at the first start offset.
  EXPECT_EQ(c.end_offset_for(le{0}, offset{250}), (epoch_end_offset{le{0}, offset{0}}));
  EXPECT_EQ(c.end_offset_for(le{9}, offset{250}), (epoch_end_offset{}));
  EXPECT_EQ(c.end_offset_for(le{-1}, offset{250}), (epoch_end_offset{}));
}

TEST(LeaderEpochCache, TruncatesFromEitherEnd) {
  leader_epoch_cache c;
  c.assign(le{1}, offset{0});
  c.assign(le{2}, offset{10});
  c.assign(le{3}, offset{20});
  c.truncate_from_end(offset{10});
  EXPECT_EQ(c.latest_epoch(), le{1});
  c.assign(le{2}, offset{10});
  c.truncate_from_start(offset{15});
  ASSERT_EQ(c.entries().size(), 1u);
  EXPECT_EQ(c.entries()[0], (epoch_entry{le{2}, offset{15}}));
  EXPECT_EQ(c.epoch_for_offset(offset{16}), le{2});
}

TEST(Checkpoints, OffsetCheckpointsUseKafkasTextFormat) {
  io::fault_injection_file_system fs;
  fs.make_dirs_durable("/d");
  offset_checkpoint_map m{{{"a", 0}, 5}, {{"b-c", 3}, 7}};
  ASSERT_TRUE(write_offset_checkpoint(fs, "/d/recovery-point-offset-checkpoint", m));
  auto bytes = io::read_file(fs, "/d/recovery-point-offset-checkpoint");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(std::string(bytes->begin(), bytes->end()), "0\n2\na 0 5\nb-c 3 7\n");
  auto back = read_offset_checkpoint(fs, "/d/recovery-point-offset-checkpoint");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, m);
  EXPECT_TRUE(read_offset_checkpoint(fs, "/d/missing")->empty());
}

TEST(Checkpoints, RejectsAWrongVersionOrCount) {
  EXPECT_EQ(decode_checkpoint("1\n0\n", 0).code(), errc::corrupt_file);
  EXPECT_EQ(decode_checkpoint("0\n2\nx 0 1\n", 0).code(), errc::corrupt_file);
  EXPECT_TRUE(decode_checkpoint("", 0));
}

TEST(Checkpoints, LeaderEpochCheckpointListsEpochAndStartOffset) {
  EXPECT_EQ(encode_leader_epoch_checkpoint({{le{0}, offset{0}}, {le{4}, offset{57}}}), "0\n2\n0 0\n4 57\n");
}

TEST(Checkpoints, CleanShutdownMarkerStoresTheBrokerEpochAsJson) {
  io::fault_injection_file_system fs;
  fs.make_dirs_durable("/d");
  EXPECT_FALSE(read_clean_shutdown_marker(fs, "/d"));
  ASSERT_TRUE(write_clean_shutdown_marker(fs, "/d", 123));
  auto bytes = io::read_file(fs, "/d/.kafka_cleanshutdown");
  EXPECT_EQ(std::string(bytes->begin(), bytes->end()), "{\"version\":0,\"brokerEpoch\":123}");
  EXPECT_EQ(read_clean_shutdown_marker(fs, "/d"), 123);
}

}  // namespace
}  // namespace samsa::storage
