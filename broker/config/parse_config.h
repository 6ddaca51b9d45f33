#pragma once

// Turning one definition plus an optional supplied text into a checked value,
// as Kafka's ConfigDef.parseValue does: the supplied text if any, otherwise
// the default (or an error if there is none), then the validator, which also
// judges defaults.

#include <optional>
#include <string_view>

#include "broker/config/config_def.h"
#include "broker/config/config_error.h"
#include "broker/config/config_value.h"
#include "broker/config/result.h"

namespace samsa::broker::config {

result<config_value, config_error> parse_config(const config_def& def, std::optional<std::string_view> supplied);

// The definition's default as a value (null for null defaults and required
// configs). Precondition: the table's default text parses (checked by tests).
config_value default_value(const config_def& def);

// The default as DescribeConfigs' DEFAULT_CONFIG synonym shows it (Kafka's
// ConfigDef.defaultValues rendered by convertToString); nullopt when the
// default is null, which Kafka leaves out of that map.
std::optional<std::string> default_text(const config_def& def);

}  // namespace samsa::broker::config
