// Fuzzes the .properties reader and the broker config built from its result:
// neither may crash or trap on any input; errors must come back as values.

#include <cstdint>
#include <string_view>

#include "broker/config/broker_config.h"
#include "broker/config/properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto props = samsa::broker::config::parse_properties(text);
  if (!props) return 0;
  std::vector<samsa::broker::config::config_warning> warnings;
  auto config = samsa::broker::config::broker_config::from_properties(*props, &warnings);
  (void)config;
  return 0;
}
