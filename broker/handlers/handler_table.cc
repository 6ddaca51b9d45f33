#include "broker/handlers/handler_table.h"

#include <array>

#include "broker/handlers/api_versions.h"
#include "broker/handlers/metadata.h"
#include "protocol/generated/api_registry.h"

namespace samsa::broker {
namespace {

constexpr std::array handlers{
    api_handler{protocol::api_keys::metadata, 0, 12, 0, &handle_metadata},
    api_handler{protocol::api_keys::api_versions, 0, 4, 0, &handle_api_versions},
};

}  // namespace

std::span<const api_handler> all_handlers() { return handlers; }

const api_handler* find_handler(int16_t api_key) {
  for (const auto& h : handlers)
    if (h.api_key == api_key) return &h;
  return nullptr;
}

}  // namespace samsa::broker
