#pragma once

// The topic a Metadata request creates when auto.create.topics.enable is on
// (Kafka's AutoTopicCreationManager.creatableTopic): the internal topics with
// their coordinators' settings, any other topic with num.partitions and
// default.replication.factor and no configs.

#include <string>

#include "broker/config/broker_config.h"
#include "protocol/generated/create_topics.h"

namespace samsa::broker {

protocol::create_topics_request::CreatableTopic auto_creatable_topic(const config::broker_config& broker,
                                                                     const std::string& name);

}  // namespace samsa::broker
