#pragma once

// The config module's result type is common/result.h.

#include "common/result.h"

namespace samsa::broker::config {
using samsa::failure;
using samsa::make_failure;
using samsa::ok;
using samsa::ok_t;
using samsa::result;
}  // namespace samsa::broker::config
