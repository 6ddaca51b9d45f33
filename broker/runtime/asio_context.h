#pragma once

// Internal to broker/runtime and broker/net: reach the Asio io_context a shard
// runs. Include this only from .cc files; public headers stay free of Asio.
//
// Threading rule: I/O objects created on a shard's io_context are used only
// from that shard's thread (completion handlers run there).

#include <boost/asio/io_context.hpp>

#include "broker/runtime/shard_pool.h"

namespace samsa::broker::runtime {

struct shard_pool_access {
  // Precondition: shard < pool.size().
  static boost::asio::io_context& io_context(shard_pool& pool, shard_id shard);
};

}  // namespace samsa::broker::runtime
