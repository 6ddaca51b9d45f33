#pragma once

// A running shard pool and socket server on 127.0.0.1 (ephemeral port) with a
// scriptable request handler: echo each request, hold requests for the test
// to answer, or run a custom function.

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "broker/net/server.h"
#include "broker/net/test/test_client.h"
#include "broker/net/test/test_sources.h"
#include "broker/runtime/shard_pool.h"

namespace samsa::broker::net::testing {

struct held_request {
  std::shared_ptr<connection> conn;
  uint64_t seq = 0;
  request_frame frame;

  void echo() { conn->respond(seq, message_of(std::vector<uint8_t>(frame.bytes().begin(), frame.bytes().end()))); }
};

class test_handler final : public request_handler {
 public:
  enum class mode { echo, hold, custom };
  using custom_fn = std::function<void(const std::shared_ptr<connection>&, uint64_t, request_frame)>;

  void set_mode(mode m) { mode_ = m; }
  void set_custom(custom_fn f) {
    custom_ = std::move(f);
    mode_ = mode::custom;
  }

  void on_open(const std::shared_ptr<connection>& c) override {
    std::lock_guard lock(mutex_);
    open_shards_.push_back(c->shard());
    ++opened_;
    cv_.notify_all();
  }

  void on_request(const std::shared_ptr<connection>& c, uint64_t seq, request_frame frame) override {
    switch (mode_.load()) {
      case mode::echo:
        c->respond(seq, message_of(std::vector<uint8_t>(frame.bytes().begin(), frame.bytes().end())));
        return;
      case mode::custom:
        custom_(c, seq, std::move(frame));
        return;
      case mode::hold: {
        std::lock_guard lock(mutex_);
        held_bytes_ += frame.size();
        max_held_bytes_ = std::max(max_held_bytes_, held_bytes_);
        held_.push_back(held_request{c, seq, std::move(frame)});
        max_held_ = std::max(max_held_, held_.size());
        cv_.notify_all();
        return;
      }
    }
  }

  void on_close(connection&) override {
    std::lock_guard lock(mutex_);
    ++closed_;
    cv_.notify_all();
  }

  // Waits (bounded) until at least n requests are held.
  bool wait_held(size_t n, std::chrono::milliseconds wait = 10s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, wait, [&] { return held_.size() >= n; });
  }
  bool wait_closed(int n, std::chrono::milliseconds wait = 10s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, wait, [&] { return closed_ >= n; });
  }
  bool wait_opened(int n, std::chrono::milliseconds wait = 10s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, wait, [&] { return opened_ >= n; });
  }
  // Takes every held request out (they stop counting as held).
  std::vector<held_request> take_held() {
    std::lock_guard lock(mutex_);
    std::vector<held_request> out(std::make_move_iterator(held_.begin()), std::make_move_iterator(held_.end()));
    held_.clear();
    held_bytes_ = 0;
    return out;
  }
  // Takes one held request, if any.
  std::optional<held_request> take_one(size_t index_hint) {
    std::lock_guard lock(mutex_);
    if (held_.empty()) return std::nullopt;
    const size_t i = index_hint % held_.size();
    held_request r = std::move(held_[i]);
    held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(i));
    held_bytes_ -= r.frame.size();
    return r;
  }
  size_t held_count() {
    std::lock_guard lock(mutex_);
    return held_.size();
  }
  size_t max_held() {
    std::lock_guard lock(mutex_);
    return max_held_;
  }
  size_t max_held_bytes() {
    std::lock_guard lock(mutex_);
    return max_held_bytes_;
  }
  int opened() {
    std::lock_guard lock(mutex_);
    return opened_;
  }
  int closed() {
    std::lock_guard lock(mutex_);
    return closed_;
  }
  std::vector<runtime::shard_id> open_shards() {
    std::lock_guard lock(mutex_);
    return open_shards_;
  }

 private:
  std::atomic<mode> mode_{mode::echo};
  custom_fn custom_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<held_request> held_;
  size_t held_bytes_ = 0;
  size_t max_held_ = 0;
  size_t max_held_bytes_ = 0;
  int opened_ = 0;
  int closed_ = 0;
  std::vector<runtime::shard_id> open_shards_;
};

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() : pool_(runtime::shard_pool_config{.shards = 2}) { pool_.start(); }
  ~ServerTest() override {
    server_.reset();
    pool_.stop();
  }

  static server_config loopback_config() {
    server_config c;
    c.listeners.push_back(listener_config{"PLAINTEXT", "127.0.0.1", 0});
    return c;
  }

  void start(server_config c = loopback_config(), server_options o = {}) {
    server_ = std::make_unique<server>(pool_, std::move(c), handler_, std::move(o));
    auto err = server_->start();
    ASSERT_FALSE(err) << err->message;
    port_ = server_->port_of("PLAINTEXT");
    ASSERT_NE(port_, 0);
  }

  std::unique_ptr<test_client> client() {
    auto c = std::make_unique<test_client>(port_);
    EXPECT_TRUE(c->connected());
    return c;
  }

  static std::vector<uint8_t> payload(uint32_t n, size_t size = 8) {
    std::vector<uint8_t> p(std::max<size_t>(size, 4));
    store_be<uint32_t>(p.data(), n);
    return p;
  }

  runtime::shard_pool pool_;
  test_handler handler_;
  std::unique_ptr<server> server_;
  uint16_t port_ = 0;
};

}  // namespace samsa::broker::net::testing
