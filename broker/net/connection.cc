#include "broker/net/connection.h"

#include "broker/runtime/shard_pool.h"

namespace samsa::broker::net {

connection::connection(connection_info info, runtime::shard_pool& pool, std::weak_ptr<connection_core> core)
    : info_(std::move(info)), pool_(pool), core_(std::move(core)) {}

void connection::respond(uint64_t seq, protocol::encoded_message response) {
  deliver(seq, reply::send(std::move(response)));
}

void connection::respond_none(uint64_t seq) { deliver(seq, reply::nothing()); }

void connection::respond_then_close(uint64_t seq, protocol::encoded_message response) {
  deliver(seq, reply::send_then_close(std::move(response)));
}

void connection::close_after(uint64_t seq) { deliver(seq, reply::close_connection()); }

void connection::deliver(uint64_t seq, reply r) {
  // The core is locked only on its shard, so the last reference to it is
  // never dropped on a foreign thread.
  if (pool_.current_shard() == info_.shard) {
    if (auto core = core_.lock()) core->complete(seq, std::move(r));
    return;
  }
  pool_.post(info_.shard, [core = core_, seq, r = std::move(r)]() mutable {
    if (auto c = core.lock()) c->complete(seq, std::move(r));
  });
}

void connection::close() {
  if (pool_.current_shard() == info_.shard) {
    if (auto core = core_.lock()) core->close_now();
    return;
  }
  pool_.post(info_.shard, [core = core_] {
    if (auto c = core.lock()) c->close_now();
  });
}

}  // namespace samsa::broker::net
