#include "broker/controller/auto_topic_creation.h"

namespace samsa::broker {
namespace {

using creatable_topic = protocol::create_topics_request::CreatableTopic;

void add_config(creatable_topic& t, std::string name, std::string value) {
  protocol::create_topics_request::CreatableTopicConfig c;
  c.name = std::move(name);
  c.value = std::move(value);
  t.configs.push_back(std::move(c));
}

}  // namespace

creatable_topic auto_creatable_topic(const config::broker_config& broker, const std::string& name) {
  creatable_topic t;
  t.name = name;
  if (name == "__consumer_offsets") {
    // GroupCoordinatorService.groupMetadataTopicConfigs.
    t.num_partitions = broker.offsets_topic_num_partitions();
    t.replication_factor = broker.offsets_topic_replication_factor();
    add_config(t, "cleanup.policy", "compact");
    add_config(t, "compression.type", "producer");
    add_config(t, "segment.bytes", std::to_string(broker.get_int("offsets.topic.segment.bytes")));
  } else if (name == "__transaction_state") {
    // TransactionStateManager.transactionTopicConfigs.
    t.num_partitions = broker.transaction_state_log_num_partitions();
    t.replication_factor = broker.transaction_state_log_replication_factor();
    add_config(t, "unclean.leader.election.enable", "false");
    add_config(t, "compression.type", "uncompressed");
    add_config(t, "cleanup.policy", "compact");
    add_config(t, "min.insync.replicas", std::to_string(broker.get_int("transaction.state.log.min.isr")));
    add_config(t, "segment.bytes", std::to_string(broker.get_int("transaction.state.log.segment.bytes")));
  } else {
    t.num_partitions = broker.num_partitions();
    t.replication_factor = static_cast<int16_t>(broker.default_replication_factor());
  }
  return t;
}

}  // namespace samsa::broker
