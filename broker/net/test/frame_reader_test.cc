#include "broker/net/frame_reader.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "common/endian.h"

namespace samsa::broker::net {
namespace {

std::vector<uint8_t> framed(const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> out(4 + payload.size());
  store_be<int32_t>(out.data(), static_cast<int32_t>(payload.size()));
  if (!payload.empty()) std::memcpy(out.data() + 4, payload.data(), payload.size());
  return out;
}

// Feeds `wire` through the reader the way a socket would, at most `chunk`
// bytes per read, admitting every frame at once. Returns the frames read.
std::vector<std::vector<uint8_t>> feed(frame_reader& r, const std::vector<uint8_t>& wire, size_t chunk) {
  std::vector<std::vector<uint8_t>> frames;
  size_t pos = 0;
  for (int guard = 0; guard < 100000; ++guard) {
    if (auto f = r.take_frame()) {
      frames.emplace_back(f->bytes.get(), f->bytes.get() + f->size);
      continue;
    }
    if (r.current() == frame_reader::phase::sized) {
      r.provide_body(std::shared_ptr<uint8_t[]>(new uint8_t[r.frame_size()]));
      continue;
    }
    if (r.current() == frame_reader::phase::invalid || pos == wire.size()) break;
    std::array<std::span<uint8_t>, 2> spans;
    const size_t n = r.next_read(spans);
    size_t budget = std::min(chunk, wire.size() - pos), got = 0;
    for (size_t i = 0; i < n && budget > 0; ++i) {
      const size_t take = std::min(budget, spans[i].size());
      std::memcpy(spans[i].data(), wire.data() + pos, take);
      pos += take;
      got += take;
      budget -= take;
    }
    r.commit(got);
  }
  return frames;
}

TEST(FrameReader, ReadsOneFrameDeliveredByteByByte) {
  frame_reader r(1024);
  auto frames = feed(r, framed({1, 2, 3, 4, 5}), 1);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], (std::vector<uint8_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(r.current(), frame_reader::phase::header);
}

TEST(FrameReader, SplitsPipelinedFramesWhateverTheReadSizes) {
  std::vector<uint8_t> wire;
  std::vector<std::vector<uint8_t>> expected;
  for (uint8_t i = 0; i < 50; ++i) {
    std::vector<uint8_t> payload(i, i);
    expected.push_back(payload);
    auto f = framed(payload);
    wire.insert(wire.end(), f.begin(), f.end());
  }
  for (size_t chunk : {1u, 3u, 4u, 7u, 64u, 100000u}) {
    frame_reader r(1024);
    EXPECT_EQ(feed(r, wire, chunk), expected) << "chunk " << chunk;
  }
}

TEST(FrameReader, OffersTheNextSizeTogetherWithTheRestOfABody) {
  frame_reader r(1024);
  std::array<std::span<uint8_t>, 2> spans;
  ASSERT_EQ(r.next_read(spans), 1u);
  auto f = framed({9, 9});
  std::memcpy(spans[0].data(), f.data(), 4);
  r.commit(4);
  ASSERT_EQ(r.current(), frame_reader::phase::sized);
  EXPECT_EQ(r.frame_size(), 2);
  EXPECT_EQ(r.next_read(spans), 0u);  // nothing may be read before admission
  r.provide_body(std::shared_ptr<uint8_t[]>(new uint8_t[2]));
  ASSERT_EQ(r.next_read(spans), 2u);
  EXPECT_EQ(spans[0].size(), 2u);
  EXPECT_EQ(spans[1].size(), 4u);
}

TEST(FrameReader, AcceptsAFrameOfExactlyTheMaximumSize) {
  frame_reader r(8);
  auto frames = feed(r, framed(std::vector<uint8_t>(8, 7)), 100);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].size(), 8u);
}

TEST(FrameReader, RefusesAFrameOneByteOverTheMaximum) {
  frame_reader r(8);
  auto frames = feed(r, framed(std::vector<uint8_t>(9, 7)), 100);
  EXPECT_TRUE(frames.empty());
  EXPECT_EQ(r.current(), frame_reader::phase::invalid);
  EXPECT_EQ(r.frame_size(), 9);
}

TEST(FrameReader, RefusesANegativeSize) {
  frame_reader r(8);
  std::vector<uint8_t> wire(4);
  store_be<int32_t>(wire.data(), -1);
  feed(r, wire, 4);
  EXPECT_EQ(r.current(), frame_reader::phase::invalid);
  EXPECT_EQ(r.frame_size(), -1);
}

TEST(FrameReader, DeliversAnEmptyFrame) {
  frame_reader r(8);
  auto frames = feed(r, framed({}), 4);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(frames[0].empty());
}

TEST(FrameReader, DeliversTheFrameBeforeAnInvalidSizeThatFollowsIt) {
  auto wire = framed({1, 2});
  std::vector<uint8_t> bad(4);
  store_be<int32_t>(bad.data(), 1000);
  wire.insert(wire.end(), bad.begin(), bad.end());
  frame_reader r(8);
  auto frames = feed(r, wire, 100);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(r.current(), frame_reader::phase::invalid);
}

}  // namespace
}  // namespace samsa::broker::net
