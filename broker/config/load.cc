#include "broker/config/load.h"

namespace samsa::broker::config {

std::string_view server_usage() { return "USAGE: samsa server.properties [--override property=value]*"; }

result<server_args, config_error> parse_server_args(std::span<const std::string_view> args) {
  server_args out;
  for (std::string_view a : args) {
    if (a == "--help") out.help = true;
    if (a == "--version") out.version = true;
  }
  if (args.empty()) out.help = true;
  if (out.help || out.version) return out;

  out.properties_file = std::filesystem::path(std::string(args[0]));
  std::vector<std::string> stray;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string_view a = args[i];
    std::string_view value;
    if (a == "--override") {
      if (i + 1 >= args.size()) {
        return make_failure(config_problem("", "Option override requires an argument"));
      }
      value = args[++i];
    } else if (a.substr(0, 11) == "--override=") {
      value = a.substr(11);
    } else {
      stray.emplace_back(a);
      continue;
    }
    auto entry = parse_override(value);
    if (!entry) return make_failure(entry.error());
    out.overrides.push_back(std::move(entry).value());
  }
  if (!stray.empty()) {
    std::string joined;
    for (const auto& s : stray) joined += (joined.empty() ? "" : ",") + s;
    return make_failure(config_problem("", "Found non argument parameters: " + joined));
  }
  return out;
}

result<loaded_broker_config, config_error> load_broker_config(const std::filesystem::path& path,
                                                              std::span<const properties::entry> overrides) {
  auto props = load_properties_file(path);
  if (!props) return make_failure(props.error());
  properties merged = std::move(props).value();
  for (const auto& [key, value] : overrides) merged.set(key, value);
  std::vector<config_warning> warnings;
  auto config = broker_config::from_properties(std::move(merged), &warnings);
  if (!config) return make_failure(config.error());
  return loaded_broker_config{std::move(config).value(), std::move(warnings)};
}

result<loaded_broker_config, config_error> load_broker_config(const std::filesystem::path& path,
                                                              std::span<const std::string> overrides) {
  std::vector<properties::entry> entries;
  for (const auto& o : overrides) {
    auto entry = parse_override(o);
    if (!entry) return make_failure(entry.error());
    entries.push_back(std::move(entry).value());
  }
  return load_broker_config(path, std::span<const properties::entry>(entries));
}

}  // namespace samsa::broker::config
