// Starting, stopping and the edges of a connection's life.

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "broker/net/test/server_fixture.h"

namespace samsa::broker::net::testing {
namespace {

TEST_F(ServerTest, GracefulStopWaitsForARequestInFlightToBeAnsweredAndWritten) {
  handler_.set_mode(test_handler::mode::hold);
  start();
  auto c = client();
  ASSERT_TRUE(c->send_frame(payload(7)));
  ASSERT_TRUE(handler_.wait_held(1));
  auto stopped = std::async(std::launch::async, [this] { return server_->stop(10s); });
  EXPECT_EQ(stopped.wait_for(200ms), std::future_status::timeout);
  for (auto& r : handler_.take_held()) r.echo();
  auto r = c->read_frame();
  ASSERT_TRUE(r);
  EXPECT_EQ(load_be<uint32_t>(r->data()), 7u);
  EXPECT_TRUE(c->wait_closed());  // and closes its side, ending the server's linger
  ASSERT_EQ(stopped.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(stopped.get());
  EXPECT_EQ(handler_.closed(), 1);
}

TEST_F(ServerTest, GracefulStopGivesUpAfterItsTimeout) {
  handler_.set_mode(test_handler::mode::hold);
  start();
  auto c = client();
  ASSERT_TRUE(c->send_frame(payload(7)));
  ASSERT_TRUE(handler_.wait_held(1));
  EXPECT_FALSE(server_->stop(100ms));
  EXPECT_TRUE(c->wait_closed());
  EXPECT_EQ(handler_.closed(), 1);
  // Answering a closed connection is harmless.
  for (auto& r : handler_.take_held()) r.echo();
}

TEST_F(ServerTest, GracefulStopClosesIdleConnectionsAndRefusesNewOnes) {
  start();
  auto c = client();
  ASSERT_TRUE(c->send_frame(payload(1)));
  ASSERT_TRUE(c->read_frame());
  auto stopped = std::async(std::launch::async, [this] { return server_->stop(5s); });
  EXPECT_TRUE(c->wait_closed());
  EXPECT_TRUE(stopped.get());
  test_client late(port_);
  EXPECT_FALSE(late.connected());  // the listening socket is closed
}

TEST_F(ServerTest, StopNowClosesEveryConnectionAndCallsOnCloseForEach) {
  handler_.set_mode(test_handler::mode::hold);
  start();
  std::vector<std::unique_ptr<test_client>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(client());
    ASSERT_TRUE(clients.back()->send_frame(payload(i)));
  }
  ASSERT_TRUE(handler_.wait_held(5));
  server_->stop_now();
  EXPECT_EQ(handler_.opened(), 5);
  EXPECT_EQ(handler_.closed(), 5);
  for (auto& c : clients) EXPECT_TRUE(c->wait_closed());
  EXPECT_EQ(server_->stats().open_connections, 0);
}

TEST_F(ServerTest, FramesHeldPastTheServersLifeStillReleaseTheirBudget) {
  handler_.set_mode(test_handler::mode::hold);
  start();
  auto c = client();
  ASSERT_TRUE(c->send_frame(payload(1)));
  ASSERT_TRUE(handler_.wait_held(1));
  server_.reset();
  for (auto& r : handler_.take_held()) r.echo();  // dropped: the connection is gone
}

TEST_F(ServerTest, CallsOnCloseOnceWhenTheClientGoes) {
  start();
  {
    auto c = client();
    ASSERT_TRUE(c->send_frame(payload(1)));
    ASSERT_TRUE(c->read_frame());
  }
  EXPECT_TRUE(handler_.wait_closed(1));
  // The count drops just after on_close returns.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (server_->stats().open_connections != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_EQ(server_->stats().open_connections, 0);
  EXPECT_EQ(handler_.closed(), 1);
}

TEST_F(ServerTest, HandlerMayCloseAConnectionFromInsideOnRequest) {
  handler_.set_custom([](const std::shared_ptr<connection>& c, uint64_t, request_frame) { c->close(); });
  start();
  auto c = client();
  ASSERT_TRUE(c->send_frame(payload(1)));
  EXPECT_TRUE(c->wait_closed());
  EXPECT_TRUE(handler_.wait_closed(1));
}

TEST_F(ServerTest, ReportsTheBoundPortOfEachListener) {
  auto cfg = loopback_config();
  cfg.listeners.push_back(listener_config{"INTERNAL", "127.0.0.1", 0});
  start(cfg);
  auto bound = server_->bound_listeners();
  ASSERT_EQ(bound.size(), 2u);
  EXPECT_NE(bound[0].port, bound[1].port);
  test_client internal(server_->port_of("INTERNAL"));
  ASSERT_TRUE(internal.connected());
  ASSERT_TRUE(internal.send_frame(payload(5)));
  ASSERT_TRUE(internal.read_frame());
  EXPECT_EQ(server_->port_of("NOPE"), 0);
}

TEST_F(ServerTest, StartReportsAPortAlreadyInUse) {
  start();
  server_config cfg;
  cfg.listeners.push_back(listener_config{"PLAINTEXT", "127.0.0.1", port_});
  server second(pool_, cfg, handler_);
  auto err = second.start();
  ASSERT_TRUE(err);
  EXPECT_EQ(err->listener, "PLAINTEXT");
  EXPECT_EQ(err->code, std::errc::address_in_use);
}

TEST_F(ServerTest, StartRejectsAConfigWithoutListeners) {
  server s(pool_, server_config{}, handler_);
  auto err = s.start();
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, std::errc::invalid_argument);
}

}  // namespace
}  // namespace samsa::broker::net::testing
