// Several listeners: each serves, and Metadata answers with the endpoint of
// the listener the client used (Kafka's getAliveBrokerNodes(listenerName)).

#include <gtest/gtest.h>

#include "broker/test/broker_fixture.h"
#include "broker/test/wire_client.h"
#include "protocol/generated/metadata.h"

namespace samsa::broker::testing {
namespace {

class TwoListeners : public broker_fixture {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    return {{"listeners", "PLAINTEXT://127.0.0.1:0,INTERNAL://127.0.0.1:0"},
            {"advertised.listeners", "PLAINTEXT://127.0.0.1:0,INTERNAL://localhost:0"},
            {"listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT"},
            {"inter.broker.listener.name", "INTERNAL"}};
  }
};

TEST_F(TwoListeners, EachListenerAdvertisesItsOwnEndpoint) {
  uint16_t external = the_broker().port_of("PLAINTEXT");
  uint16_t internal = the_broker().port_of("INTERNAL");
  ASSERT_NE(external, 0);
  ASSERT_NE(internal, 0);
  ASSERT_NE(external, internal);
  for (auto [port, host] : {std::pair<uint16_t, std::string>{external, "127.0.0.1"}, {internal, "localhost"}}) {
    wire_client c(port);
    ASSERT_TRUE(c.send(9, 1, protocol::metadata_request{}));
    auto resp = c.read_response<protocol::metadata_response>(9, 1);
    ASSERT_TRUE(resp);
    ASSERT_EQ(resp->brokers.size(), 1u);
    EXPECT_EQ(resp->brokers[0].host, host);
    EXPECT_EQ(resp->brokers[0].port, port);
  }
}

}  // namespace
}  // namespace samsa::broker::testing
