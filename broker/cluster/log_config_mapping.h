#pragma once

// From the broker's view of configs (Kafka's names and validation) to what
// storage reads: a topic's resolved configuration becomes a storage::log_config,
// and the broker's settings become the log manager's.

#include "broker/config/broker_config.h"
#include "broker/config/topic_config.h"
#include "storage/log_config.h"
#include "storage/manager/log_manager.h"

namespace samsa::broker {

storage::log_config to_log_config(const config::topic_config& topic, const config::broker_config& broker);

// The log manager's settings (log.dirs, recovery threads, background task
// intervals, cleaner) with the broker's topic defaults as default_config.
storage::log_manager_config to_log_manager_config(const config::broker_config& broker);

}  // namespace samsa::broker
