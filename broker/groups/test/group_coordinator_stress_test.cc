// The coordinator under concurrency: threads play members of a few groups
// (join, sync, heartbeat, commit, leave) while another thread ticks the timers
// and a third completes log writes asynchronously, as a flush thread would.
// Checked: every request is answered exactly once, nothing deadlocks, and
// shutdown answers whatever still waits.

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <random>
#include <thread>

#include "broker/groups/group_coordinator.h"

namespace samsa::broker::groups {
namespace {

using namespace std::chrono_literals;
using protocol::error_code;

// Completes writes on its own thread, in order, like a log directory's flush thread.
class async_log final : public group_log {
 public:
  async_log() : worker_([this] { run(); }) {}
  ~async_log() override {
    {
      std::lock_guard<std::mutex> g(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }
  error_code append(int32_t, std::vector<coordinator_record>, done_fn done) override {
    {
      std::lock_guard<std::mutex> g(mu_);
      queue_.push_back(std::move(done));
    }
    cv_.notify_all();
    return error_code::none;
  }
  error_code append_transactional(int32_t partition, int64_t, int16_t, std::vector<coordinator_record> records,
                                  done_fn done) override {
    return append(partition, std::move(records), std::move(done));
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      auto d = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      d(error_code::none);
      lock.lock();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<done_fn> queue_;
  bool stop_ = false;
  std::thread worker_;
};

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

TEST(GroupCoordinatorStress, ConcurrentMembersAreEachAnsweredExactlyOnceWithoutDeadlock) {
  async_log log;
  coordinator_config config;
  config.initial_rebalance_delay_ms = 20;
  config.min_session_timeout_ms = 1;
  auto coordinator = std::make_unique<group_coordinator>(config, log, steady_ms, 7);
  std::atomic<int64_t> sent{0}, answered{0};
  std::atomic<bool> stop{false};

  std::thread ticker([&] {
    while (!stop) {
      coordinator->tick(steady_ms());
      std::this_thread::sleep_for(2ms);
    }
  });
  std::vector<std::thread> members;
  for (int t = 0; t < 6; ++t) {
    members.emplace_back([&, t] {
      std::mt19937 rng(t);
      const std::string group = "g" + std::to_string(t % 2);
      std::string member_id;
      int32_t generation = -1;
      const auto until = std::chrono::steady_clock::now() + 2s;
      while (std::chrono::steady_clock::now() < until) {
        switch (rng() % 5) {
          case 0: {  // join (and wait for the answer, as a client does)
            protocol::join_group_request r;
            r.group_id = group;
            r.member_id = member_id;
            r.session_timeout_ms = 200;
            r.rebalance_timeout_ms = 200;
            r.protocol_type = "consumer";
            r.protocols.push_back({"range", {0, 1}, {}});
            join_origin o;
            o.api_version = 5;
            o.client_id = "c";
            auto done = std::make_shared<std::promise<protocol::join_group_response>>();
            auto f = done->get_future();
            ++sent;
            coordinator->join_group(o, r, [done, &answered](protocol::join_group_response resp) {
              ++answered;
              done->set_value(std::move(resp));
            });
            if (f.wait_for(5s) != std::future_status::ready) {
              ADD_FAILURE() << "a JoinGroup was never answered";
              return;
            }
            auto resp = f.get();
            if (resp.error_code == 0 || static_cast<error_code>(resp.error_code) == error_code::member_id_required) {
              member_id = resp.member_id;
              generation = resp.generation_id;
            } else {
              member_id.clear();
            }
            break;
          }
          case 1: {  // sync
            protocol::sync_group_request r;
            r.group_id = group;
            r.member_id = member_id;
            r.generation_id = generation;
            r.assignments.push_back({member_id, {1}, {}});
            auto done = std::make_shared<std::promise<void>>();
            auto f = done->get_future();
            ++sent;
            coordinator->sync_group(r, [done, &answered](protocol::sync_group_response) {
              ++answered;
              done->set_value();
            });
            if (f.wait_for(5s) != std::future_status::ready) {
              ADD_FAILURE() << "a SyncGroup was never answered";
              return;
            }
            break;
          }
          case 2: {
            protocol::heartbeat_request r;
            r.group_id = group;
            r.member_id = member_id;
            r.generation_id = generation;
            (void)coordinator->heartbeat(r);
            break;
          }
          case 3: {  // commit
            protocol::offset_commit_request r;
            r.group_id = group;
            r.member_id = member_id;
            r.generation_id_or_member_epoch = generation;
            r.topics.emplace_back().name = "t";
            r.topics[0].partitions.emplace_back().partition_index = t;
            auto done = std::make_shared<std::promise<void>>();
            auto f = done->get_future();
            ++sent;
            coordinator->commit_offsets(9, r, [done, &answered](protocol::offset_commit_response) {
              ++answered;
              done->set_value();
            });
            if (f.wait_for(5s) != std::future_status::ready) {
              ADD_FAILURE() << "an OffsetCommit was never answered";
              return;
            }
            break;
          }
          default: {
            if (rng() % 4 != 0) break;
            protocol::leave_group_request::MemberIdentity me;
            me.member_id = member_id;
            (void)coordinator->leave_group({me}, group);
            member_id.clear();
          }
        }
      }
    });
  }
  for (auto& m : members) m.join();
  stop = true;
  ticker.join();
  coordinator->shutdown();
  EXPECT_EQ(answered.load(), sent.load());
  EXPECT_GT(sent.load(), 100);
}

}  // namespace
}  // namespace samsa::broker::groups
