#pragma once

// Storage errors as Kafka error codes: the one table the data path uses
// (CONVENTIONS §6). Every storage::errc is listed; a value added later and not
// yet mapped falls to KAFKA_STORAGE_ERROR, which every client retries after a
// metadata refresh, so an unmapped error can never look like a permanent
// failure of the producer's data.

#include "protocol/error_code.h"
#include "storage/error.h"

namespace samsa::broker::data {

protocol::error_code to_kafka_error(storage::errc e);

}  // namespace samsa::broker::data
