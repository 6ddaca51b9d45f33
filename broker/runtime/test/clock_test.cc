#include "broker/runtime/clock.h"

#include <gtest/gtest.h>

namespace samsa::broker::runtime {
namespace {

using namespace std::chrono_literals;

TEST(ManualClock, MovesBothReadingsOnlyWhenAdvanced) {
  manual_clock c;
  const auto m0 = c.monotonic_now();
  const auto w0 = c.wall_now();
  EXPECT_EQ(c.monotonic_now(), m0);
  c.advance(250ms);
  EXPECT_EQ(c.monotonic_now() - m0, 250ms);
  EXPECT_EQ(c.wall_now() - w0, 250ms);
}

TEST(ManualClock, WorksThroughTheClockInterface) {
  manual_clock mc;
  const clock& c = mc;
  const auto before = c.monotonic_now();
  mc.advance(1s);
  EXPECT_EQ(c.monotonic_now() - before, 1s);
}

TEST(RealClock, MonotonicReadingNeverGoesBack) {
  const clock& c = real_clock();
  auto prev = c.monotonic_now();
  for (int i = 0; i < 1000; ++i) {
    auto now = c.monotonic_now();
    ASSERT_GE(now, prev);
    prev = now;
  }
}

}  // namespace
}  // namespace samsa::broker::runtime
