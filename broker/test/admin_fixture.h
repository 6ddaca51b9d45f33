#pragma once

// An in-process broker for the admin API tests that can be restarted on the
// same directory (cleanly, or without a clean shutdown as after a crash), plus
// a one-call wire helper: send a request at a version, read its response.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "broker/broker.h"
#include "broker/config/broker_config.h"
#include "broker/config/properties.h"
#include "broker/test/broker_fixture.h"
#include "broker/test/wire_client.h"
#include "protocol/error_code.h"
#include "protocol/generated/metadata.h"

namespace samsa::broker::testing {

class admin_fixture : public ::testing::Test {
 protected:
  virtual std::vector<std::pair<std::string, std::string>> extra_config() const { return {}; }

  void SetUp() override { start(); }
  void TearDown() override {
    if (broker_) broker_->shutdown(std::chrono::seconds(5));
    broker_.reset();
  }

  void start() {
    config::properties props;
    props.set("listeners", "PLAINTEXT://127.0.0.1:0");
    props.set("log.dirs", (dir_.path() / "data").string());
    props.set("samsa.shards", "2");
    for (const auto& [k, v] : extra_config()) props.set(k, v);
    auto cfg = config::broker_config::from_properties(props);
    ASSERT_TRUE(cfg.has_value()) << cfg.error().message;
    auto started = broker::start(*cfg);
    ASSERT_TRUE(started.has_value()) << started.error();
    broker_ = std::move(*started);
    port_ = broker_->port_of("PLAINTEXT");
    ASSERT_NE(port_, 0);
  }
  void restart() {
    broker_->shutdown(std::chrono::seconds(5));
    broker_.reset();
    start();
  }
  // The broker object dies without its clean shutdown: no flush, no marker.
  void crash_restart() {
    broker_.reset();
    start();
  }

  uint16_t port() const { return port_; }
  std::string bootstrap() const { return "127.0.0.1:" + std::to_string(port_); }
  broker& the_broker() { return *broker_; }
  const std::filesystem::path& dir() const { return dir_.path(); }

  // Sends `request` at `version` on a new connection and reads the answer.
  template <typename Response, typename Request>
  std::optional<Response> call(int16_t version, const Request& request) {
    wire_client c(port_);
    if (!c.connected() || !c.send(version, 42, request)) return std::nullopt;
    return c.template read_response<Response>(version, 42, std::chrono::milliseconds(10000));
  }

  // Metadata for one topic, without auto-creation.
  std::optional<protocol::metadata_response::MetadataResponseTopic> topic_metadata(const std::string& name) {
    protocol::metadata_request r;
    r.topics.emplace();
    r.topics->push_back({{}, name, {}});
    r.allow_auto_topic_creation = false;
    auto resp = call<protocol::metadata_response>(12, r);
    if (!resp || resp->topics.size() != 1) return std::nullopt;
    return resp->topics[0];
  }
  bool topic_exists(const std::string& name) {
    auto t = topic_metadata(name);
    return t && t->error_code == 0;
  }
  // Polls Metadata until the topic exists or the deadline passes.
  bool wait_for_topic(const std::string& name, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (topic_exists(name)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  static int16_t code(protocol::error_code e) { return static_cast<int16_t>(e); }

 private:
  temp_dir dir_;
  std::unique_ptr<broker> broker_;
  uint16_t port_ = 0;
};

}  // namespace samsa::broker::testing
