#pragma once

// The BROKER_LOGGER config resource (Kafka's Log4jController and
// RuntimeLoggerManager over spdlog): DescribeConfigs lists each logger with
// its level in log4j's names; IncrementalAlterConfigs SET changes a level and
// DELETE resets a logger to the root logger's level. "root" is spdlog's
// default logger. Levels are not persisted (Kafka does not persist them either).
//
// Thread-safety: spdlog loggers are thread-safe; levels are process-wide.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "broker/controller/controller.h"
#include "protocol/generated/incremental_alter_configs.h"

namespace samsa::broker {

// (logger name, level), "root" first.
std::vector<std::pair<std::string, std::string>> current_log_levels();

// RuntimeLoggerManager.applyChangesForResource: checks the resource name (this
// node's id) and every change before applying any.
std::optional<api_error> apply_log_level_changes(
    int32_t node_id, const std::string& resource_name,
    const std::vector<protocol::incremental_alter_configs_request::AlterableConfig>& changes, bool validate_only);

}  // namespace samsa::broker
