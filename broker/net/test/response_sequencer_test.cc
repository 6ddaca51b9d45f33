#include "broker/net/response_sequencer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace samsa::broker::net {
namespace {

using sequencer = response_sequencer<std::string, int>;

TEST(ResponseSequencer, NumbersRequestsDenselyFromZero) {
  sequencer s;
  EXPECT_EQ(s.open(10), 0u);
  EXPECT_EQ(s.open(11), 1u);
  EXPECT_EQ(s.next_seq(), 2u);
  EXPECT_EQ(s.open_count(), 2u);
}

TEST(ResponseSequencer, ListsTheUnansweredRequestsOldestFirst) {
  sequencer s;
  s.open(10);
  s.open(11);
  s.open(12);
  ASSERT_EQ(s.fill(1, "b"), sequencer::fill_result::ok);
  std::vector<int> unanswered;
  s.for_each_unanswered([&](int ticket) { unanswered.push_back(ticket); });
  EXPECT_EQ(unanswered, (std::vector<int>{10, 12}));
  ASSERT_EQ(s.fill(0, "a"), sequencer::fill_result::ok);
  ASSERT_TRUE(s.pop_ready());
  ASSERT_TRUE(s.pop_ready());
  unanswered.clear();
  s.for_each_unanswered([&](int ticket) { unanswered.push_back(ticket); });
  EXPECT_EQ(unanswered, (std::vector<int>{12}));
}

TEST(ResponseSequencer, HoldsALaterReplyUntilEveryEarlierOneIsIn) {
  sequencer s;
  s.open(0);
  s.open(1);
  ASSERT_EQ(s.fill(1, "b"), sequencer::fill_result::ok);
  EXPECT_FALSE(s.pop_ready());
  ASSERT_EQ(s.fill(0, "a"), sequencer::fill_result::ok);
  auto first = s.pop_ready();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->seq, 0u);
  EXPECT_EQ(first->reply, "a");
  auto second = s.pop_ready();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->seq, 1u);
  EXPECT_EQ(second->ticket, 1);
  EXPECT_FALSE(s.pop_ready());
}

TEST(ResponseSequencer, PopsInRequestOrderWhateverTheFillOrder) {
  sequencer s;
  std::vector<uint64_t> order(1000);
  for (auto& o : order) o = s.open(0);
  std::shuffle(order.begin(), order.end(), std::mt19937(42));
  std::vector<uint64_t> popped;
  for (uint64_t seq : order) {
    ASSERT_EQ(s.fill(seq, std::to_string(seq)), sequencer::fill_result::ok);
    while (auto r = s.pop_ready()) {
      EXPECT_EQ(r->reply, std::to_string(r->seq));
      popped.push_back(r->seq);
    }
  }
  std::vector<uint64_t> expected(1000);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(popped, expected);
}

TEST(ResponseSequencer, RefusesUnknownAndRepeatedAnswers) {
  sequencer s;
  s.open(0);
  EXPECT_EQ(s.fill(5, "x"), sequencer::fill_result::not_open);
  EXPECT_EQ(s.fill(0, "x"), sequencer::fill_result::ok);
  EXPECT_EQ(s.fill(0, "y"), sequencer::fill_result::already_filled);
  ASSERT_TRUE(s.pop_ready());
  EXPECT_EQ(s.fill(0, "z"), sequencer::fill_result::not_open);
}

TEST(ResponseSequencer, ClearHandsBackTicketsOfAnsweredRequestsOnly) {
  sequencer s;
  s.open(100);
  s.open(101);
  s.open(102);
  s.fill(1, "b");
  std::vector<int> released;
  s.clear([&](int& t) { released.push_back(t); });
  EXPECT_EQ(released, std::vector<int>{101});
  EXPECT_EQ(s.open_count(), 0u);
  EXPECT_EQ(s.open(0), 3u);  // numbering continues
}

}  // namespace
}  // namespace samsa::broker::net
