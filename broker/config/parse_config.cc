#include "broker/config/parse_config.h"

#include "common/assert.h"

namespace samsa::broker::config {

config_value default_value(const config_def& def) {
  if (def.default_value.kind != default_kind::value) return {};
  auto parsed = parse_value(def.name, def.type, def.default_value.text);
  SAMSA_ASSERT(parsed.has_value(), "a config table default does not parse");
  return std::move(parsed).value();
}

std::optional<std::string> default_text(const config_def& def) {
  return to_kafka_string(default_value(def), def.type);
}

result<config_value, config_error> parse_config(const config_def& def, std::optional<std::string_view> supplied) {
  config_value value;
  if (supplied) {
    auto parsed = parse_value(def.name, def.type, *supplied);
    if (!parsed) return make_failure(parsed.error());
    value = std::move(parsed).value();
  } else if (def.default_value.kind == default_kind::required) {
    return make_failure(config_problem(
        def.name, fmt::format("Missing required configuration \"{}\" which has no default value.", def.name)));
  } else {
    value = default_value(def);
  }
  if (auto err = validate(def.valid, def.name, value)) return make_failure(std::move(*err));
  return value;
}

}  // namespace samsa::broker::config
