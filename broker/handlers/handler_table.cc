#include "broker/handlers/handler_table.h"

#include <algorithm>
#include <vector>

#include "broker/handlers/api_versions.h"
#include "broker/handlers/metadata.h"
#include "protocol/generated/api_registry.h"

namespace samsa::broker {
namespace {

constexpr api_handler core_handlers[] = {
    {protocol::api_keys::metadata, 0, 12, 0, &handle_metadata},
    {protocol::api_keys::api_versions, 0, 4, 0, &handle_api_versions},
};

// The table, ordered by key, built once from the five groups.
const std::vector<api_handler>& table() {
  static const std::vector<api_handler> all = [] {
    std::vector<api_handler> v(std::begin(core_handlers), std::end(core_handlers));
    for (const auto& h : admin_handlers()) v.push_back(h);
    for (const auto& h : data_handlers()) v.push_back(h);
    for (const auto& h : group_handlers()) v.push_back(h);
    for (const auto& h : txn_handlers()) v.push_back(h);
    std::sort(v.begin(), v.end(), [](const api_handler& a, const api_handler& b) { return a.api_key < b.api_key; });
    return v;
  }();
  return all;
}

}  // namespace

std::span<const api_handler> all_handlers() { return table(); }

const api_handler* find_handler(int16_t api_key) {
  const auto& t = table();
  auto it = std::lower_bound(t.begin(), t.end(), api_key,
                             [](const api_handler& h, int16_t k) { return h.api_key < k; });
  return it != t.end() && it->api_key == api_key ? &*it : nullptr;
}

}  // namespace samsa::broker
