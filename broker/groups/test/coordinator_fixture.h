#pragma once

// A group coordinator on a fake log and a manual clock, with helpers that
// send requests and capture the (possibly later) answers.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "broker/groups/group_coordinator.h"
#include "broker/groups/test/fake_group_log.h"

namespace samsa::broker::groups::testing {

using protocol::error_code;

inline error_code err(int16_t c) { return static_cast<error_code>(c); }

template <typename R>
struct answer {
  std::shared_ptr<std::optional<R>> slot = std::make_shared<std::optional<R>>();
  bool ready() const { return slot->has_value(); }
  const R& operator*() const { return **slot; }
  const R* operator->() const { return &**slot; }
};

class coordinator_test : public ::testing::Test {
 protected:
  coordinator_test() { make(); }

  void make() {
    coordinator_.reset();
    coordinator_ = std::make_unique<group_coordinator>(config_, log_, [this] { return now_; }, 42);
  }

  group_coordinator& c() { return *coordinator_; }

  void advance(int64_t ms) {
    now_ += ms;
    c().tick(now_);
  }

  answer<protocol::join_group_response> join(const std::string& group, const std::string& member_id,
                                             int16_t version = 9, const std::string& protocol = "range",
                                             std::vector<uint8_t> metadata = {0, 0},
                                             std::optional<std::string> instance = std::nullopt) {
    protocol::join_group_request r;
    r.group_id = group;
    r.member_id = member_id;
    r.session_timeout_ms = 10000;
    r.rebalance_timeout_ms = 30000;
    r.protocol_type = "consumer";
    r.group_instance_id = instance;
    r.protocols.push_back({protocol, metadata, {}});
    join_origin o;
    o.api_version = version;
    o.client_id = "client";
    o.client_host = "/127.0.0.1";
    answer<protocol::join_group_response> a;
    c().join_group(o, std::move(r), [slot = a.slot](protocol::join_group_response resp) { *slot = std::move(resp); });
    return a;
  }

  // A dynamic v9 member: MEMBER_ID_REQUIRED, then the join with its id.
  std::pair<std::string, answer<protocol::join_group_response>> join_new(const std::string& group) {
    auto first = join(group, "");
    EXPECT_TRUE(first.ready());
    EXPECT_EQ(err(first->error_code), error_code::member_id_required);
    std::string id = first->member_id;
    return {id, join(group, id)};
  }

  answer<protocol::sync_group_response> sync(const std::string& group, const std::string& member_id,
                                             int32_t generation,
                                             std::vector<std::pair<std::string, std::vector<uint8_t>>> assignments = {}) {
    protocol::sync_group_request r;
    r.group_id = group;
    r.member_id = member_id;
    r.generation_id = generation;
    for (auto& [m, a] : assignments) r.assignments.push_back({m, a, {}});
    answer<protocol::sync_group_response> s;
    c().sync_group(std::move(r), [slot = s.slot](protocol::sync_group_response resp) { *slot = std::move(resp); });
    return s;
  }

  error_code heartbeat(const std::string& group, const std::string& member_id, int32_t generation) {
    protocol::heartbeat_request r;
    r.group_id = group;
    r.member_id = member_id;
    r.generation_id = generation;
    return c().heartbeat(r);
  }

  answer<protocol::offset_commit_response> commit(const std::string& group, const std::string& member_id,
                                                  int32_t generation, const std::string& topic, int32_t partition,
                                                  int64_t offset, int16_t version = 9) {
    protocol::offset_commit_request r;
    r.group_id = group;
    r.member_id = member_id;
    r.generation_id_or_member_epoch = generation;
    auto& t = r.topics.emplace_back();
    t.name = topic;
    auto& p = t.partitions.emplace_back();
    p.partition_index = partition;
    p.committed_offset = offset;
    answer<protocol::offset_commit_response> a;
    c().commit_offsets(version, std::move(r),
                       [slot = a.slot](protocol::offset_commit_response resp) { *slot = std::move(resp); });
    return a;
  }

  int64_t committed(const std::string& group, const std::string& topic, int32_t partition) {
    auto f = c().fetch_offsets(group, std::vector<std::pair<std::string, std::vector<int32_t>>>{{topic, {partition}}});
    return f.topics.at(0).partitions.at(0).offset;
  }

  coordinator_config config_ = [] {
    coordinator_config c;
    c.initial_rebalance_delay_ms = 3000;
    return c;
  }();
  fake_group_log log_;
  int64_t now_ = 1'000'000;
  std::unique_ptr<group_coordinator> coordinator_;
};

}  // namespace samsa::broker::groups::testing
