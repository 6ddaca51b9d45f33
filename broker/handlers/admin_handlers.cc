// The admin group of the handler table: topics, partitions, configs, cluster.
#include "broker/handlers/handler_table.h"

namespace samsa::broker {

std::span<const api_handler> admin_handlers() { return {}; }

}  // namespace samsa::broker
