#pragma once

// Strong types for the Kafka quantities that travel from the wire to disk.

#include <cstdint>

#include "common/strong_type.h"

namespace samsa {

using offset = strong_type<int64_t, struct offset_tag>;
using leader_epoch = strong_type<int32_t, struct leader_epoch_tag>;
using partition_id = strong_type<int32_t, struct partition_id_tag>;
using node_id = strong_type<int32_t, struct node_id_tag>;
using producer_id = strong_type<int64_t, struct producer_id_tag>;
using producer_epoch = strong_type<int16_t, struct producer_epoch_tag>;
using api_key = strong_type<int16_t, struct api_key_tag>;
using api_version = strong_type<int16_t, struct api_version_tag>;

}  // namespace samsa
