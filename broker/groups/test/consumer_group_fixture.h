#pragma once

// A coordinator_test for KIP-848 consumer groups: the metadata image is the
// test's topics_ map, and hb() sends one ConsumerGroupHeartbeat and returns the
// answer (the fake log is durable at once, so every heartbeat is answered).

#include <map>
#include <optional>
#include <string>

#include "broker/groups/test/coordinator_fixture.h"

namespace samsa::broker::groups::testing {

using hb_request = protocol::consumer_group_heartbeat_request;
using hb_response = protocol::consumer_group_heartbeat_response;

inline uuid topic_id(uint8_t n) {
  uuid u;
  u.bytes[0] = n;
  return u;
}

class consumer_group_coordinator_test : public coordinator_test {
 protected:
  explicit consumer_group_coordinator_test(std::map<std::string, topic_info> topics = {{"t", topic_info{topic_id(1), 6}}})
      : topics_(std::move(topics)) {
    serve_topics();
  }

  // Points the coordinator's topic lookup at topics_ (again after a test made a new coordinator).
  void serve_topics() {
    c().set_topic_lookup([this](const std::string& name) -> std::optional<topic_info> {
      auto it = topics_.find(name);
      if (it == topics_.end()) return std::nullopt;
      return it->second;
    });
  }

  hb_response hb(hb_request r, int16_t version = 1) {
    heartbeat_origin o;
    o.api_version = version;
    o.client_id = "client";
    o.client_host = "/127.0.0.1";
    std::optional<hb_response> out;
    c().consumer_group_heartbeat(o, std::move(r), [&out](hb_response resp) { out = std::move(resp); });
    EXPECT_TRUE(out.has_value());
    return out.value_or(hb_response{});
  }

  std::map<std::string, topic_info> topics_;
};

}  // namespace samsa::broker::groups::testing
