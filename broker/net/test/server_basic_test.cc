// Requests in, responses out: framing, ordering, reply kinds, splicing, idleness.

#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "broker/net/test/server_fixture.h"
#include "broker/runtime/clock.h"

namespace samsa::broker::net::testing {
namespace {

TEST_F(ServerTest, AnswersASingleRequestWithTheHandlersResponse) {
  start();
  auto c = client();
  const std::vector<uint8_t> request{0, 18, 0, 3, 0, 0, 0, 7, 'h', 'i'};
  ASSERT_TRUE(c->send_frame(request));
  auto response = c->read_frame();
  ASSERT_TRUE(response);
  EXPECT_EQ(*response, request);
}

TEST_F(ServerTest, AnswersPipelinedRequestsInOrderWhenTheHandlerCompletesThemOutOfOrderOnOtherThreads) {
  handler_.set_mode(test_handler::mode::hold);
  start();
  constexpr uint32_t kRequests = 1000;
  std::atomic<bool> finished{false};
  // Workers answer held requests in random order from their own threads.
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; ++w) {
    workers.emplace_back([this, w, &finished] {
      std::mt19937 rng(w);
      while (!finished.load()) {
        if (auto r = handler_.take_one(rng())) r->echo();
        else std::this_thread::yield();
      }
    });
  }
  auto c = client();
  std::thread sender([&c] {
    for (uint32_t i = 0; i < kRequests; ++i) ASSERT_TRUE(c->send_frame(payload(i, 4 + i % 50)));
  });
  for (uint32_t i = 0; i < kRequests; ++i) {
    auto r = c->read_frame();
    ASSERT_TRUE(r) << "response " << i;
    ASSERT_EQ(load_be<uint32_t>(r->data()), i);
    ASSERT_EQ(r->size(), 4 + i % 50);
  }
  sender.join();
  finished = true;
  for (auto& w : workers) w.join();
  // The default pipelining depth bounded what the handler saw at once.
  EXPECT_LE(handler_.max_held(), 100u);
}

TEST_F(ServerTest, KeepsResponsesFlowingPastARequestAnsweredWithNoResponse) {
  handler_.set_custom([](const std::shared_ptr<connection>& c, uint64_t seq, request_frame f) {
    if (seq == 5) c->respond_none(seq);  // Produce with acks=0
    else c->respond(seq, message_of({f.bytes().begin(), f.bytes().end()}));
  });
  start();
  auto c = client();
  for (uint32_t i = 0; i < 10; ++i) ASSERT_TRUE(c->send_frame(payload(i)));
  for (uint32_t i = 0; i < 10; ++i) {
    if (i == 5) continue;
    auto r = c->read_frame();
    ASSERT_TRUE(r);
    EXPECT_EQ(load_be<uint32_t>(r->data()), i);
  }
}

TEST_F(ServerTest, AcceptsAFrameOfExactlySocketRequestMaxBytes) {
  auto cfg = loopback_config();
  cfg.socket_request_max_bytes = 4096;
  start(cfg);
  auto c = client();
  auto big = pattern(4096, 1);
  ASSERT_TRUE(c->send_frame(big));
  auto r = c->read_frame();
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, big);
}

TEST_F(ServerTest, ClosesTheConnectionOnAFrameOneByteOverSocketRequestMaxBytes) {
  auto cfg = loopback_config();
  cfg.socket_request_max_bytes = 4096;
  start(cfg);
  auto c = client();
  ASSERT_TRUE(c->send_size_only(4097));
  EXPECT_TRUE(c->wait_closed());
  EXPECT_TRUE(handler_.wait_closed(1));
}

TEST_F(ServerTest, ClosesTheConnectionOnANegativeFrameSize) {
  start();
  auto c = client();
  ASSERT_TRUE(c->send_size_only(-1));
  EXPECT_TRUE(c->wait_closed());
}

TEST_F(ServerTest, AnswersEarlierRequestsBeforeClosingOnABadSize) {
  start();
  auto c = client();
  std::vector<uint8_t> wire(4 + 8 + 4);
  store_be<int32_t>(wire.data(), 8);
  store_be<int32_t>(wire.data() + 12, -5);
  ASSERT_TRUE(c->send_raw(wire));
  auto r = c->read_frame();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 8u);
  EXPECT_TRUE(c->wait_closed());
}

TEST_F(ServerTest, DeliversAnEmptyFrame) {
  start();
  auto c = client();
  ASSERT_TRUE(c->send_frame({}));
  auto r = c->read_frame();
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST_F(ServerTest, CloseAfterSendsEarlierResponsesThenCloses) {
  handler_.set_custom([](const std::shared_ptr<connection>& c, uint64_t seq, request_frame f) {
    if (seq == 1) c->close_after(seq);
    else c->respond(seq, message_of({f.bytes().begin(), f.bytes().end()}));
  });
  start();
  auto c = client();
  for (uint32_t i = 0; i < 3; ++i) ASSERT_TRUE(c->send_frame(payload(i)));
  auto r = c->read_frame();
  ASSERT_TRUE(r);
  EXPECT_EQ(load_be<uint32_t>(r->data()), 0u);
  EXPECT_TRUE(c->wait_closed());  // nothing for requests 1 and 2
}

TEST_F(ServerTest, RespondThenCloseSendsThatResponseLast) {
  handler_.set_custom([](const std::shared_ptr<connection>& c, uint64_t seq, request_frame f) {
    if (seq == 0) c->respond_then_close(seq, message_of({f.bytes().begin(), f.bytes().end()}));
    else c->respond(seq, message_of({f.bytes().begin(), f.bytes().end()}));
  });
  start();
  auto c = client();
  ASSERT_TRUE(c->send_frame(payload(0)));
  ASSERT_TRUE(c->send_frame(payload(1)));
  auto r = c->read_frame();
  ASSERT_TRUE(r);
  EXPECT_EQ(load_be<uint32_t>(r->data()), 0u);
  EXPECT_TRUE(c->wait_closed());
}

TEST_F(ServerTest, SendsFileBackedSplicesWithExactBytes) {
  auto contents = pattern(3 * 1024 * 1024 + 17, 11);
  auto file = std::make_shared<temp_file>(contents);
  handler_.set_custom([file](const std::shared_ptr<connection>& c, uint64_t seq, request_frame) {
    protocol::encoded_message m = message_of({'h', 'e', 'a', 'd', '|', 't', 'a', 'i', 'l'});
    m.splices.push_back({5, std::make_shared<file_source>(file, 1000, 2 * 1024 * 1024)});
    m.splices.push_back({5, std::make_shared<memory_source>(std::vector<uint8_t>{'-', '-'})});
    m.splices.push_back({9, std::make_shared<file_source>(file, 7, 10)});
    c->respond(seq, std::move(m));
  });
  start();
  auto c = client();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c->send_frame(payload(i)));
  std::vector<uint8_t> expected{'h', 'e', 'a', 'd', '|'};
  expected.insert(expected.end(), contents.begin() + 1000, contents.begin() + 1000 + 2 * 1024 * 1024);
  expected.insert(expected.end(), {'-', '-', 't', 'a', 'i', 'l'});
  expected.insert(expected.end(), contents.begin() + 7, contents.begin() + 17);
  for (int i = 0; i < 3; ++i) {
    auto r = c->read_frame();
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, expected) << "response " << i;
  }
}

TEST_F(ServerTest, AnswersFromAnyThreadReachTheConnection) {
  handler_.set_custom([](const std::shared_ptr<connection>& c, uint64_t seq, request_frame f) {
    std::thread([c, seq, f] { c->respond(seq, message_of({f.bytes().begin(), f.bytes().end()})); }).detach();
  });
  start();
  auto c = client();
  ASSERT_TRUE(c->send_frame(payload(42)));
  auto r = c->read_frame();
  ASSERT_TRUE(r);
  EXPECT_EQ(load_be<uint32_t>(r->data()), 42u);
}

TEST_F(ServerTest, ClosesAConnectionIdleForConnectionsMaxIdleMs) {
  auto cfg = loopback_config();
  cfg.connections_max_idle_ms = 100;
  start(cfg);
  auto c = client();
  ASSERT_TRUE(c->send_frame(payload(1)));
  ASSERT_TRUE(c->read_frame());
  EXPECT_TRUE(c->wait_closed(5s));
  EXPECT_TRUE(handler_.wait_closed(1));
}

TEST_F(ServerTest, DoesNotCloseAnIdleConnectionWhileARequestIsInFlight) {
  auto cfg = loopback_config();
  cfg.connections_max_idle_ms = 50;
  handler_.set_mode(test_handler::mode::hold);
  start(cfg);
  auto c = client();
  ASSERT_TRUE(c->send_frame(payload(9)));
  ASSERT_TRUE(handler_.wait_held(1));
  EXPECT_TRUE(c->silent_for(300ms));  // several idle periods: not closed
  for (auto& r : handler_.take_held()) r.echo();
  auto r = c->read_frame();
  ASSERT_TRUE(r);
  EXPECT_EQ(load_be<uint32_t>(r->data()), 9u);
  EXPECT_TRUE(c->wait_closed(5s));  // idle now
}

TEST_F(ServerTest, MeasuresIdlenessWithTheGivenClock) {
  runtime::manual_clock clock;
  auto cfg = loopback_config();
  cfg.connections_max_idle_ms = 1000;  // swept every 100 ms of real time
  server_options o;
  o.clock = &clock;
  start(cfg, o);
  auto c = client();
  ASSERT_TRUE(c->send_frame(payload(1)));
  ASSERT_TRUE(c->read_frame());
  EXPECT_TRUE(c->silent_for(300ms));  // the manual clock has not moved
  clock.advance(std::chrono::milliseconds(1001));
  EXPECT_TRUE(c->wait_closed(5s));
}

}  // namespace
}  // namespace samsa::broker::net::testing
