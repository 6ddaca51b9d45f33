#pragma once

// A log_manager over the fault-injecting file system, driven by hand
// (background_threads = false), for manager, cleaner and crash tests.

#include <gtest/gtest.h>

#include <memory>

#include "storage/manager/log_manager.h"
#include "storage/test/log_fixture.h"

namespace samsa::storage::testing {

class manager_fixture : public ::testing::Test {
 protected:
  void SetUp() override { fs.make_dirs_durable("/"); }

  log_manager_config manager_config() {
    log_manager_config c;
    c.log_dirs = dirs;
    c.default_config = config;
    c.background_threads = false;
    c.initial_task_delay_ms = 0;
    return c;
  }
  void open_manager() {
    auto m = log_manager::open(fs, clock, manager_config());
    ASSERT_TRUE(m) << m.error();
    manager = std::move(*m);
  }
  std::shared_ptr<partition_log> create(const std::string& topic, int32_t partition,
                                        std::optional<log_config> c = std::nullopt) {
    auto l = manager->get_or_create_log(topic_partition{topic, partition}, c);
    EXPECT_TRUE(l) << l.error();
    return l ? *l : nullptr;
  }
  void clean_restart() {
    ASSERT_TRUE(manager->shutdown());
    manager.reset();
    open_manager();
  }
  // Power loss: the manager dies without a shutdown, then the disk loses what it may.
  void crash_restart(uint64_t seed, io::crash_mode mode) {
    manager.reset();
    fs.crash(seed, mode);
    open_manager();
  }
  append_info append(partition_log& log, std::vector<uint8_t> batch, int32_t epoch = 0) {
    auto r = log.append_as_leader(batch, samsa::leader_epoch{epoch});
    if (!r) {
      ADD_FAILURE() << "append failed: " << r.error();
      return {};
    }
    return *r;
  }
  bool flush(partition_log& log) {
    bool ok = false;
    log.request_flush(log.log_end_offset(), [&](status s) { ok = s.ok(); });
    manager->run_flush_workers();
    return ok;
  }

  io::manual_clock clock{kT0};
  io::fault_injection_file_system fs{&clock};
  std::vector<std::string> dirs{"/data0", "/data1"};
  log_config config;
  std::unique_ptr<log_manager> manager;
};

}  // namespace samsa::storage::testing
