#include "broker/config/listeners.h"

#include <gtest/gtest.h>

#include "broker/config/broker_config.h"

namespace samsa::broker::config {
namespace {

security_protocol_map default_map() {
  return *parse_security_protocol_map("SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT");
}

std::vector<endpoint> listeners(std::string_view value, const security_protocol_map& map = default_map()) {
  auto r = parse_listeners("listeners", value, map, true);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : std::vector<endpoint>{};
}

std::string listener_error(std::string_view value, const security_protocol_map& map = default_map()) {
  auto r = parse_listeners("listeners", value, map, true);
  EXPECT_FALSE(r.has_value()) << value;
  return r ? std::string() : r.error().message;
}

TEST(Listeners, ParseNameHostAndPort) {
  auto l = listeners("PLAINTEXT://localhost:9092, SSL://10.0.0.1:9093");
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0], (endpoint{"PLAINTEXT", "localhost", 9092, security_protocol::plaintext}));
  EXPECT_EQ(l[1], (endpoint{"SSL", "10.0.0.1", 9093, security_protocol::ssl}));
}

TEST(Listeners, AnEmptyHostMeansAllInterfaces) {
  auto l = listeners("PLAINTEXT://:9092");
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].host, "");
  EXPECT_EQ(l[0].connection_string(), "PLAINTEXT://:9092");
}

TEST(Listeners, Ipv6HostsMayBeBracketed) {
  auto l = listeners("PLAINTEXT://[::1]:9092");
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].host, "::1");
  EXPECT_EQ(l[0].connection_string(), "PLAINTEXT://[::1]:9092");
}

TEST(Listeners, NamesAreCaseInsensitive) {
  auto l = listeners("plaintext://host:1");
  EXPECT_EQ(l[0].listener_name, "PLAINTEXT");
}

TEST(Listeners, CustomNamesNeedAProtocolMapping) {
  EXPECT_EQ(listener_error("CLIENT://:9092"),
            "Error creating broker listeners from 'CLIENT://:9092': No security protocol defined for listener CLIENT");
  auto map = *parse_security_protocol_map("client:SASL_SSL, INTERNAL : plaintext");
  auto l = listeners("CLIENT://:9092,INTERNAL://:9093", map);
  EXPECT_EQ(l[0].protocol, security_protocol::sasl_ssl);
  EXPECT_EQ(l[1].protocol, security_protocol::plaintext);
}

TEST(Listeners, MalformedEntriesAreRefused) {
  EXPECT_EQ(listener_error("localhost:9092"),
            "Error creating broker listeners from 'localhost:9092': Unable to parse localhost:9092 to a broker endpoint");
  listener_error("PLAINTEXT://host");
  listener_error("PLAINTEXT://host:port");
  listener_error("PLAINTEXT://bad host:1");
  EXPECT_EQ(listener_error("PLAINTEXT://:70000"),
            "Error creating broker listeners from 'PLAINTEXT://:70000': port 70000 of listener PLAINTEXT is outside "
            "[0, 65535]");
}

TEST(Listeners, NamesMustBeUnique) {
  EXPECT_EQ(listener_error("PLAINTEXT://:9092,PLAINTEXT://:9093"),
            "Each listener must have a different name, listeners: PLAINTEXT://:9092,PLAINTEXT://:9093");
}

TEST(Listeners, PortsMustBeUniqueUnlessOneIpv4AndOneIpv6) {
  EXPECT_EQ(listener_error("PLAINTEXT://:9092,SSL://:9092"),
            "Each listener must have a different port, listeners: PLAINTEXT://:9092,SSL://:9092");
  listeners("PLAINTEXT://127.0.0.1:9092,SSL://[::1]:9092");
  EXPECT_NE(listener_error("PLAINTEXT://127.0.0.1:9092,SSL://127.0.0.2:9092").find("one needs to be IPv4"),
            std::string::npos);
  listeners("PLAINTEXT://:0,SSL://:0");  // port 0 (ephemeral) may repeat
  // Advertised listeners may share ports.
  EXPECT_TRUE(parse_listeners("advertised.listeners", "PLAINTEXT://a:1,SSL://b:1", default_map(), false).has_value());
}

TEST(Listeners, ProtocolMapErrorsNameTheConfig) {
  EXPECT_EQ(parse_security_protocol_map("CLIENT:TLS").error().message,
            "Invalid security protocol `TLS` defined in listener.security.protocol.map");
  EXPECT_FALSE(parse_security_protocol_map("CLIENT").has_value());
  EXPECT_TRUE(parse_security_protocol_map("").value().empty());
}

properties props(std::initializer_list<std::pair<std::string, std::string>> kv) {
  properties p;
  for (const auto& [k, v] : kv) p.set(k, v);
  return p;
}

std::string config_error_of(properties p) {
  auto c = broker_config::from_properties(std::move(p));
  EXPECT_FALSE(c.has_value());
  return c ? std::string() : c.error().message;
}

TEST(BrokerListeners, AdvertisedListenersDefaultToListeners) {
  auto c = broker_config::from_properties(props({{"listeners", "PLAINTEXT://host:9092"}}));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->advertised_listeners(), c->listeners());
  auto d = broker_config::from_properties(
      props({{"listeners", "PLAINTEXT://:9092"}, {"advertised.listeners", "PLAINTEXT://public:19092"}}));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->advertised_listeners()[0].host, "public");
  EXPECT_EQ(d->advertised_listeners()[0].port, 19092);
}

TEST(BrokerListeners, AdvertisedNamesMustBeListeners) {
  EXPECT_EQ(config_error_of(props({{"listeners", "PLAINTEXT://:9092"},
                                   {"advertised.listeners", "PLAINTEXT://a:9092,SSL://a:9093"}})),
            "advertised.listeners listener names must be equal to or a subset of the ones defined in listeners. Found "
            "PLAINTEXT,SSL. The valid options based on the current configuration are PLAINTEXT");
}

TEST(BrokerListeners, AdvertisingTheWildcardAddressIsRefused) {
  EXPECT_EQ(config_error_of(props({{"listeners", "PLAINTEXT://0.0.0.0:9092"}})),
            "advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.");
  EXPECT_TRUE(broker_config::from_properties(props({{"listeners", "PLAINTEXT://0.0.0.0:9092"},
                                                    {"advertised.listeners", "PLAINTEXT://host:9092"}}))
                  .has_value());
}

TEST(BrokerListeners, TheInterBrokerListenerMustBeAdvertised) {
  auto map = "CLIENT:PLAINTEXT,INTERNAL:PLAINTEXT";
  EXPECT_EQ(config_error_of(props({{"listeners", "CLIENT://:9092"}, {"listener.security.protocol.map", map}})),
            "inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options "
            "based on currently configured listeners are CLIENT");
  auto c = broker_config::from_properties(props({{"listeners", "CLIENT://:9092,INTERNAL://:9093"},
                                                 {"listener.security.protocol.map", map},
                                                 {"inter.broker.listener.name", "internal"}}));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->inter_broker_listener_name(), "INTERNAL");
  EXPECT_EQ(config_error_of(props({{"inter.broker.listener.name", "PLAINTEXT"},
                                   {"security.inter.broker.protocol", "PLAINTEXT"}})),
            "Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.");
}

TEST(BrokerListeners, ControllerListenersAreNotAdvertisedAndMapToPlaintextByDefault) {
  auto c = broker_config::from_properties(
      props({{"listeners", "PLAINTEXT://:9092,CONTROLLER://:9093"}, {"controller.listener.names", "CONTROLLER"}}));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  ASSERT_EQ(c->listeners().size(), 2u);
  EXPECT_EQ(c->listeners()[1].protocol, security_protocol::plaintext);
  ASSERT_EQ(c->advertised_listeners().size(), 1u);
  EXPECT_EQ(c->advertised_listeners()[0].listener_name, "PLAINTEXT");
  // With an explicit map the controller listener must be mapped.
  EXPECT_NE(config_error_of(props({{"listeners", "PLAINTEXT://:9092,CONTROLLER://:9093"},
                                   {"controller.listener.names", "CONTROLLER"},
                                   {"listener.security.protocol.map", "PLAINTEXT:PLAINTEXT"}}))
                .find("No security protocol defined for listener CONTROLLER"),
            std::string::npos);
  EXPECT_NE(config_error_of(props({{"controller.listener.names", "CONTROLLER"}})).find("controller.listener.names"),
            std::string::npos);
}

}  // namespace
}  // namespace samsa::broker::config
