#pragma once

// Which shard (thread with its own event loop) something lives on.

#include <cstdint>

#include "common/strong_type.h"

namespace samsa::broker::runtime {

using shard_id = strong_type<uint32_t, struct shard_id_tag>;

}  // namespace samsa::broker::runtime
