#include "broker/handlers/broker_loggers.h"

#include <spdlog/spdlog.h>

#include <array>

#include "broker/controller/config_ops.h"

namespace samsa::broker {
namespace {

using protocol::error_code;

constexpr std::string_view root_logger = "root";
// LogLevelConfig.VALID_LOG_LEVELS, sorted as Kafka prints them.
constexpr std::string_view valid_levels_text = "DEBUG, ERROR, FATAL, INFO, TRACE, WARN";

std::string log4j_name(spdlog::level::level_enum l) {
  switch (l) {
    case spdlog::level::trace: return "TRACE";
    case spdlog::level::debug: return "DEBUG";
    case spdlog::level::info: return "INFO";
    case spdlog::level::warn: return "WARN";
    case spdlog::level::err: return "ERROR";
    case spdlog::level::critical: return "FATAL";
    default: return "OFF";
  }
}

std::optional<spdlog::level::level_enum> spdlog_level(std::string_view log4j) {
  if (log4j == "TRACE") return spdlog::level::trace;
  if (log4j == "DEBUG") return spdlog::level::debug;
  if (log4j == "INFO") return spdlog::level::info;
  if (log4j == "WARN") return spdlog::level::warn;
  if (log4j == "ERROR") return spdlog::level::err;
  if (log4j == "FATAL") return spdlog::level::critical;
  return std::nullopt;
}

std::shared_ptr<spdlog::logger> find_logger(const std::string& name) {
  if (name == root_logger) return spdlog::default_logger();
  return name.empty() ? nullptr : spdlog::get(name);
}

api_error invalid_request(std::string m) { return api_error{error_code::invalid_request, std::move(m)}; }
api_error invalid_config(std::string m) { return api_error{error_code::invalid_config, std::move(m)}; }

}  // namespace

std::vector<std::pair<std::string, std::string>> current_log_levels() {
  std::vector<std::pair<std::string, std::string>> out;
  auto root = spdlog::default_logger();
  out.emplace_back(std::string(root_logger), log4j_name(root->level()));
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) {
    if (l != root && !l->name().empty()) out.emplace_back(l->name(), log4j_name(l->level()));
  });
  return out;
}

std::optional<api_error> apply_log_level_changes(
    int32_t node_id, const std::string& resource_name,
    const std::vector<protocol::incremental_alter_configs_request::AlterableConfig>& changes, bool validate_only) {
  if (!parse_java_int(resource_name))
    return invalid_request("Node id must be an integer, but it is: " + resource_name);
  if (*parse_java_int(resource_name) != node_id)
    // Kafka's message prints its own id twice (RuntimeLoggerManager.validateResourceNameIsNodeId).
    return invalid_request("Unexpected node id. Expected " + std::to_string(node_id) + ", but received " +
                           std::to_string(node_id));
  for (const auto& c : changes) {
    switch (static_cast<alter_config_op>(c.config_operation)) {
      case alter_config_op::set: {
        if (!find_logger(c.name)) return invalid_config("Logger " + c.name + " does not exist!");
        const std::string level = c.value.value_or("");
        if (!spdlog_level(level))
          return invalid_config("Cannot set the log level of " + c.name + " to " + level +
                                " as it is not a supported log level. Valid log levels are " +
                                std::string(valid_levels_text));
        break;
      }
      case alter_config_op::remove:
        if (!find_logger(c.name)) return invalid_config("Logger " + c.name + " does not exist!");
        if (c.name == root_logger) return invalid_request("Removing the log level of the root logger is not allowed");
        break;
      case alter_config_op::append:
        return invalid_request("APPEND operation is not allowed for the BROKER_LOGGER resource");
      case alter_config_op::subtract:
        return invalid_request("SUBTRACT operation is not allowed for the BROKER_LOGGER resource");
      default:
        return invalid_request("Unknown operation type " + std::to_string(c.config_operation) +
                               " is not allowed for the BROKER_LOGGER resource");
    }
  }
  if (validate_only) return std::nullopt;
  for (const auto& c : changes) {
    auto logger = find_logger(c.name);
    if (static_cast<alter_config_op>(c.config_operation) == alter_config_op::set) {
      logger->set_level(*spdlog_level(*c.value));
      spdlog::default_logger()->warn("Updated the log level of {} to {}", c.name, *c.value);
    } else {
      logger->set_level(spdlog::default_logger()->level());
      spdlog::default_logger()->warn("Unset the log level of {}", c.name);
    }
  }
  return std::nullopt;
}

}  // namespace samsa::broker
