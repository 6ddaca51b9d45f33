#pragma once

// Planning of config changes, as Kafka's ConfigurationControlManager does it
// (incrementalAlterConfigs / legacyAlterConfigs, validateAlterConfig with
// ControllerConfigurationValidator and the existence check): per resource,
// either every change is written or none. BROKER resources always get their
// records, even unchanged values (KAFKA-14136: brokers reload on them).
//
// Broker-side rules (resource name is this broker, which keys are dynamic,
// value types) are the handler's: see dynamic_broker_config.h.

#include <optional>
#include <vector>

#include "broker/controller/controller.h"
#include "broker/controller/metadata_records.h"
#include "broker/controller/plan_context.h"

namespace samsa::broker {

struct alter_configs_plan {
  std::vector<metadata_record> records;
  std::vector<config_resource_result> results;  // one per resource, in request order
  std::optional<api_error> request_error;
};

alter_configs_plan plan_incremental_alter_configs(const plan_context& ctx,
                                                  const std::vector<incremental_config_changes>& changes);

alter_configs_plan plan_legacy_alter_configs(const plan_context& ctx, const std::vector<replacement_configs>& changes);

// Java's String.split(","): trailing empty strings dropped; a string without
// a comma is one element (even when empty).
std::vector<std::string> java_split(std::string_view s);

// Java's Integer.parseInt (optional sign, decimal digits, int32 range).
std::optional<int32_t> parse_java_int(std::string_view s);

// Kafka's ConfigResource.Type name ("TOPIC", "BROKER", ..., "UNKNOWN").
std::string_view config_resource_type_name(config_resource_type t);

}  // namespace samsa::broker
