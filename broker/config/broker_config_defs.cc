#include "broker/config/broker_config_defs.h"

#include <unordered_map>
#include <vector>

#include "common/assert.h"

namespace samsa::broker::config {

namespace {

// Built once, on first use, and never modified: a read-only index.
struct broker_def_index {
  std::vector<config_def> all;
  std::unordered_map<std::string_view, const config_def*> by_name;

  broker_def_index() {
    for (auto part : {detail::server_config_defs(), detail::log_config_defs(), detail::replication_config_defs(),
                      detail::coordinator_config_defs(), detail::security_config_defs()}) {
      all.insert(all.end(), part.begin(), part.end());
    }
    for (const auto& d : all) {
      bool inserted = by_name.emplace(d.name, &d).second;
      SAMSA_ASSERT(inserted, "a broker config is defined twice");
    }
  }
};

const broker_def_index& index() {
  static const broker_def_index instance;
  return instance;
}

}  // namespace

std::span<const config_def> broker_config_defs() { return index().all; }

const config_def* find_broker_config_def(std::string_view name) {
  const auto& by_name = index().by_name;
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : it->second;
}

}  // namespace samsa::broker::config
