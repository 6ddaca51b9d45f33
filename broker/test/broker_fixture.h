#pragma once

// One in-process broker for end-to-end tests: a fresh temporary log
// directory, a PLAINTEXT listener on an ephemeral loopback port, removed
// again when the test ends.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "broker/broker.h"
#include "broker/config/broker_config.h"
#include "broker/config/properties.h"

namespace samsa::broker::testing {

class temp_dir {
 public:
  temp_dir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("samsa-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class broker_fixture : public ::testing::Test {
 protected:
  // Extra server.properties entries for a test, applied over the defaults.
  virtual std::vector<std::pair<std::string, std::string>> extra_config() const { return {}; }

  void SetUp() override {
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

  void TearDown() override { broker_.reset(); }

  uint16_t port() const { return port_; }
  std::string bootstrap() const { return "127.0.0.1:" + std::to_string(port_); }
  broker& the_broker() { return *broker_; }
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  temp_dir dir_;
  std::unique_ptr<broker> broker_;
  uint16_t port_ = 0;
};

}  // namespace samsa::broker::testing
