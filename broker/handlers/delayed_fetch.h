#pragma once

// A Fetch that waits for data: Kafka's DelayedFetch. It answers when the
// partitions hold at least min_bytes for it, when one of them can no longer be
// read as asked (gone, no longer ours, fenced epoch, fetch offset past the end,
// a diverging epoch), or when max_wait_ms has passed — then it reads again
// and answers with whatever there is (fetch_read.h, fetch_answer.h).
//
// Threading: the fetch lives on the request's shard. It registers on each
// partition's watchers (data/partition_watchers.h); an append on any shard
// notifies them, and on_partition_changed() posts one re-check to the owning
// shard (at most one outstanding: appends in a burst cost one re-check). The
// timeout is a shard_pool timer on the same shard. done_ is touched only on
// that shard, so the answer is given exactly once without a lock.
//
// Lifetime: shared_ptr, held by the timer task and by posted re-checks;
// watchers hold weak pointers, so nothing needs unregistering.

#include <memory>
#include <vector>

#include "broker/fetch_session/fetch_context.h"
#include "broker/fetch_session/fetch_types.h"
#include "broker/handlers/fetch_read.h"
#include "broker/request_context.h"

namespace samsa::broker {

// Precondition: `interesting` is not empty and names partitions the image had.
// Called on the request's shard; from any other thread (tests) the fetch
// moves to shard 0.
void wait_for_data(request_context ctx, fetch_context session, fetch_params params,
                   std::vector<partition_to_fetch> interesting, std::vector<partition_result> erroneous);

}  // namespace samsa::broker
