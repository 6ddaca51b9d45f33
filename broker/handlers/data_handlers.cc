// The data-path group of the handler table: produce, fetch, offsets, producer ids.
#include "broker/handlers/handler_table.h"

namespace samsa::broker {

std::span<const api_handler> data_handlers() { return {}; }

}  // namespace samsa::broker
