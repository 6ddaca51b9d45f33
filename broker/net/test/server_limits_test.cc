// Back-pressure and connection limits.

#include <gtest/gtest.h>

#include <thread>

#include "broker/net/test/server_fixture.h"

namespace samsa::broker::net::testing {
namespace {

constexpr auto kQuiet = 200ms;  // how long "nothing more happens" is watched

TEST_F(ServerTest, StopsReadingWhenTheBrokerWideByteBudgetIsSpentAndResumesWhenFramesAreReleased) {
  auto cfg = loopback_config();
  cfg.queued_max_request_bytes = 1000;
  cfg.connection_max_in_flight_bytes = -1;
  handler_.set_mode(test_handler::mode::hold);
  start(cfg);
  auto c = client();
  for (uint32_t i = 0; i < 10; ++i) ASSERT_TRUE(c->send_frame(payload(i, 400)));
  // 0 -> 400 -> 800 -> 1200: the third frame is admitted while 800 < 1000,
  // then nothing more (Kafka's non-strict pool).
  ASSERT_TRUE(handler_.wait_held(3));
  EXPECT_TRUE(c->silent_for(kQuiet));
  EXPECT_EQ(handler_.held_count(), 3u);
  EXPECT_EQ(server_->stats().request_bytes_held, 1200);
  // Answering releases the frames; reading resumes.
  std::vector<uint32_t> seen;
  size_t answered = 0;
  for (int round = 0; round < 100 && seen.size() < 10; ++round) {
    for (auto& r : handler_.take_held()) {
      r.echo();
      ++answered;
    }
    while (seen.size() < answered) {
      auto r = c->read_frame();
      ASSERT_TRUE(r);
      seen.push_back(load_be<uint32_t>(r->data()));
    }
    if (answered < 10) {
      ASSERT_TRUE(handler_.wait_held(1));
    }
  }
  ASSERT_EQ(seen.size(), 10u);
  for (uint32_t i = 0; i < 10; ++i) EXPECT_EQ(seen[i], i);
  EXPECT_LE(handler_.max_held_bytes(), 1200u);
}

TEST_F(ServerTest, StopsReadingWhenTheConnectionByteBudgetIsSpent) {
  auto cfg = loopback_config();
  cfg.connection_max_in_flight_bytes = 1000;
  handler_.set_mode(test_handler::mode::hold);
  start(cfg);
  auto c = client();
  auto other = client();
  for (uint32_t i = 0; i < 10; ++i) ASSERT_TRUE(c->send_frame(payload(i, 400)));
  ASSERT_TRUE(handler_.wait_held(3));
  EXPECT_TRUE(c->silent_for(kQuiet));
  EXPECT_EQ(handler_.held_count(), 3u);
  // Another connection has its own budget.
  ASSERT_TRUE(other->send_frame(payload(100, 400)));
  ASSERT_TRUE(handler_.wait_held(4));
  for (auto& r : handler_.take_held()) r.echo();
  ASSERT_TRUE(other->read_frame());
  for (uint32_t i = 0; i < 3; ++i) ASSERT_TRUE(c->read_frame());
  ASSERT_TRUE(handler_.wait_held(3));
}

TEST_F(ServerTest, ReleasingTheFrameBeforeAnsweringFreesTheBudget) {
  auto cfg = loopback_config();
  cfg.queued_max_request_bytes = 1000;
  // A handler that decodes, drops the frame, and answers much later (a long poll).
  std::mutex m;
  std::vector<std::pair<std::shared_ptr<connection>, uint64_t>> parked;
  handler_.set_custom([&](const std::shared_ptr<connection>& c, uint64_t seq, request_frame) {
    std::lock_guard lock(m);
    parked.emplace_back(c, seq);
  });
  start(cfg);
  auto c = client();
  for (uint32_t i = 0; i < 10; ++i) ASSERT_TRUE(c->send_frame(payload(i, 400)));
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  for (;;) {
    {
      std::lock_guard lock(m);
      if (parked.size() == 10) break;
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "frames were not released";
    std::this_thread::yield();
  }
  EXPECT_EQ(server_->stats().request_bytes_held, 0);
  EXPECT_EQ(server_->stats().requests_held, 0);
  std::lock_guard lock(m);
  for (auto& [conn, seq] : parked) conn->respond_none(seq);
}

TEST_F(ServerTest, AdmitsAFrameLargerThanTheWholeBudgetWhenNothingElseIsHeld) {
  auto cfg = loopback_config();
  cfg.queued_max_request_bytes = 100;
  cfg.connection_max_in_flight_bytes = 100;
  start(cfg);
  auto c = client();
  auto big = pattern(100'000, 4);
  ASSERT_TRUE(c->send_frame(big));
  auto r = c->read_frame();
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, big);
}

TEST_F(ServerTest, HandsOutAtMostConnectionMaxInFlightRequestsAtOnce) {
  auto cfg = loopback_config();
  cfg.connection_max_in_flight_requests = 3;
  handler_.set_mode(test_handler::mode::hold);
  start(cfg);
  auto c = client();
  for (uint32_t i = 0; i < 6; ++i) ASSERT_TRUE(c->send_frame(payload(i)));
  ASSERT_TRUE(handler_.wait_held(3));
  EXPECT_TRUE(c->silent_for(kQuiet));
  EXPECT_EQ(handler_.held_count(), 3u);
  auto first = handler_.take_one(0);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->seq, 0u);
  first->echo();
  ASSERT_TRUE(c->read_frame());
  ASSERT_TRUE(handler_.wait_held(3));  // request 3 came in once request 0 was written
  for (auto& r : handler_.take_held()) r.echo();
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(c->read_frame());
  ASSERT_TRUE(handler_.wait_held(2));
  for (auto& r : handler_.take_held()) r.echo();
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(c->read_frame());
}

TEST_F(ServerTest, ResumesReadingWhenAnInFlightSlotFreesAfterTheFrameWasAlreadyReleased) {
  auto cfg = loopback_config();
  cfg.connection_max_in_flight_requests = 1;
  // Decode (drop the frame) at once, answer later from another thread.
  handler_.set_custom([](const std::shared_ptr<connection>& c, uint64_t seq, request_frame f) {
    const uint32_t n = load_be<uint32_t>(f.data());
    f = request_frame{};
    std::thread([c, seq, n] { c->respond(seq, message_of(payload(n))); }).detach();
  });
  start(cfg);
  auto c = client();
  for (uint32_t i = 0; i < 5; ++i) ASSERT_TRUE(c->send_frame(payload(i)));
  for (uint32_t i = 0; i < 5; ++i) {
    auto r = c->read_frame();
    ASSERT_TRUE(r) << "response " << i;
    EXPECT_EQ(load_be<uint32_t>(r->data()), i);
  }
}

TEST_F(ServerTest, QueuedMaxRequestsBoundsRequestsHeldAcrossConnections) {
  auto cfg = loopback_config();
  cfg.queued_max_requests = 2;
  handler_.set_mode(test_handler::mode::hold);
  start(cfg);
  auto a = client();
  auto b = client();
  for (uint32_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(a->send_frame(payload(i)));
    ASSERT_TRUE(b->send_frame(payload(10 + i)));
  }
  ASSERT_TRUE(handler_.wait_held(2));
  EXPECT_TRUE(a->silent_for(kQuiet));
  EXPECT_EQ(handler_.held_count(), 2u);
  EXPECT_EQ(server_->stats().requests_held, 2);
  int answered = 0;
  for (int round = 0; round < 100 && answered < 6; ++round) {
    for (auto& r : handler_.take_held()) {
      r.echo();
      ++answered;
    }
    if (answered < 6) {
      ASSERT_TRUE(handler_.wait_held(1));
    }
  }
  EXPECT_EQ(answered, 6);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(a->read_frame());
    ASSERT_TRUE(b->read_frame());
  }
}

TEST_F(ServerTest, MaxConnectionsMakesNewClientsWaitUntilOneCloses) {
  auto cfg = loopback_config();
  cfg.max_connections = 2;
  start(cfg);
  auto a = client();
  auto b = client();
  ASSERT_TRUE(a->send_frame(payload(1)));
  ASSERT_TRUE(b->send_frame(payload(2)));
  ASSERT_TRUE(a->read_frame());
  ASSERT_TRUE(b->read_frame());
  auto waiting = client();  // TCP connects (listen backlog) but is not served
  ASSERT_TRUE(waiting->send_frame(payload(3)));
  EXPECT_TRUE(waiting->silent_for(kQuiet));
  EXPECT_EQ(handler_.opened(), 2);
  a.reset();  // frees a slot
  auto r = waiting->read_frame();
  ASSERT_TRUE(r);
  EXPECT_EQ(load_be<uint32_t>(r->data()), 3u);
}

TEST_F(ServerTest, MaxConnectionsPerIpClosesTheExtraConnection) {
  auto cfg = loopback_config();
  cfg.max_connections_per_ip = 1;
  start(cfg);
  auto a = client();
  ASSERT_TRUE(a->send_frame(payload(1)));
  ASSERT_TRUE(a->read_frame());
  auto b = client();
  EXPECT_TRUE(b->wait_closed());
  ASSERT_TRUE(a->send_frame(payload(2)));
  ASSERT_TRUE(a->read_frame());  // the first one is unaffected
  a.reset();
  ASSERT_TRUE(handler_.wait_closed(1));
  auto c = client();  // the address's slot is free again
  ASSERT_TRUE(c->send_frame(payload(3)));
  ASSERT_TRUE(c->read_frame());
}

TEST_F(ServerTest, SpreadsConnectionsOverShards) {
  start();
  std::vector<std::unique_ptr<test_client>> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(client());
    ASSERT_TRUE(clients.back()->send_frame(payload(i)));
    ASSERT_TRUE(clients.back()->read_frame());
  }
  auto shards = handler_.open_shards();
  ASSERT_EQ(shards.size(), 4u);
  int on_zero = 0;
  for (auto s : shards) on_zero += s == runtime::shard_id{0};
  EXPECT_EQ(on_zero, 2);  // least loaded: two each
}

}  // namespace
}  // namespace samsa::broker::net::testing
