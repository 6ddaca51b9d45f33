#pragma once

// Starting a broker the way kafka-server-start.sh does:
//   samsa <server.properties> [--override key=value]...
// The file is read first; each --override then replaces (or adds) one key,
// later overrides winning, exactly as Kafka.getPropsFromArgs applies them.

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/config/config_error.h"
#include "broker/config/properties.h"
#include "broker/config/result.h"

namespace samsa::broker::config {

struct server_args {
  bool help = false;     // --help given (or no arguments): print server_usage()
  bool version = false;  // --version given
  std::filesystem::path properties_file;
  std::vector<properties::entry> overrides;  // in command-line order
};

// Parses the arguments after the program name. Accepts "--override k=v" and
// "--override=k=v"; anything else after the file is refused like Kafka's
// "Found non argument parameters: ...".
result<server_args, config_error> parse_server_args(std::span<const std::string_view> args);

std::string_view server_usage();

struct loaded_broker_config {
  broker_config config;
  std::vector<config_warning> warnings;  // for the caller to log (spdlog)
};

result<loaded_broker_config, config_error> load_broker_config(const std::filesystem::path& path,
                                                              std::span<const properties::entry> overrides);

// Same, from "key=value" override strings.
result<loaded_broker_config, config_error> load_broker_config(const std::filesystem::path& path,
                                                              std::span<const std::string> overrides);

}  // namespace samsa::broker::config
