#include "broker/fetch_session/fetch_context.h"

#include <mutex>
#include <utility>

#include "broker/fetch_session/fetch_metadata.h"
#include "broker/fetch_session/fetch_session_cache.h"
#include "broker/fetch_session/request_partitions.h"
#include "broker/fetch_session/response_builder.h"
#include "common/assert.h"

namespace samsa::broker {

namespace {

// Kafka's IncrementalFetchContext.PartitionIterator: keeps the results the
// fetcher must see. With `update` it also records them in the session and
// rotates partitions that returned records to the back (fairness); without, it
// leaves the session as it was (for response_size).
protocol::fetch_response select_incremental(guarded_shard& shard, fetch_session& session, int32_t request_epoch,
                                            std::vector<partition_result> results, bool update) {
  std::vector<partition_result> selected;
  {
    std::lock_guard lock(shard.mu);
    if (session.epoch() != next_epoch(request_epoch)) {
      // Another request with this session ran in between (a duplicate or a
      // retry); this one's view of the session is stale.
      return make_fetch_response(protocol::error_code::invalid_fetch_session_epoch, session.id(), {});
    }
    for (auto& r : results) {
      const session_key key = make_session_key(r.partition, session.uses_topic_ids());
      cached_partition* cp = session.find(key);
      SAMSA_ASSERT(cp != nullptr, "fetch result for a partition outside the session");
      if (!cp->must_respond(r.data)) continue;
      if (update) {
        cp->record_sent(r.data);
        if (r.data.records.size() > 0) session.move_to_end(key);
      }
      selected.push_back(std::move(r));
    }
  }
  return make_fetch_response(protocol::error_code::none, session.id(), std::move(selected));
}

}  // namespace

fetch_context fetch_context::session_error(protocol::error_code error, int16_t version) {
  fetch_context c(kind::session_error, version);
  c.error_ = error;
  return c;
}

fetch_context fetch_context::sessionless(std::vector<partition_to_fetch> partitions, int16_t version) {
  fetch_context c(kind::sessionless, version);
  c.partitions_ = std::move(partitions);
  return c;
}

fetch_context fetch_context::full(fetch_session_cache& cache, std::vector<partition_to_fetch> partitions,
                                  int16_t version, bool is_follower) {
  fetch_context c(kind::full, version);
  c.cache_ = &cache;
  c.is_follower_ = is_follower;
  c.partitions_ = std::move(partitions);
  const bool uses_topic_ids = version >= first_topic_id_fetch_version;
  c.request_index_.reserve(c.partitions_.size());
  for (size_t i = 0; i < c.partitions_.size(); ++i) {
    c.request_index_.emplace(make_session_key(c.partitions_[i].partition, uses_topic_ids), i);
  }
  return c;
}

fetch_context fetch_context::incremental(guarded_shard& shard, std::shared_ptr<fetch_session> session,
                                         int32_t request_epoch, std::vector<partition_to_fetch> partitions,
                                         int16_t version) {
  fetch_context c(kind::incremental, version);
  c.shard_ = &shard;
  c.session_ = std::move(session);
  c.request_epoch_ = request_epoch;
  c.partitions_ = std::move(partitions);
  return c;
}

int32_t fetch_context::session_id() const {
  // A session's id never changes, so reading it needs no lock.
  return session_ ? session_->id() : invalid_session_id;
}

protocol::fetch_response fetch_context::build_response(std::vector<partition_result> results, int64_t now_ms) {
  switch (kind_) {
    case kind::session_error:
      // Which partitions the request meant is unknown; send none.
      return make_fetch_response(error_, invalid_session_id, {});
    case kind::sessionless:
      return make_fetch_response(protocol::error_code::none, invalid_session_id, std::move(results));
    case kind::full:
      return build_full(std::move(results), now_ms);
    case kind::incremental:
      return select_incremental(*shard_, *session_, request_epoch_, std::move(results), /*update=*/true);
  }
  SAMSA_UNREACHABLE("fetch context kind");
}

protocol::fetch_response fetch_context::build_full(std::vector<partition_result> results, int64_t now_ms) {
  const bool uses_topic_ids = version_ >= first_topic_id_fetch_version;
  // The session lists partitions in the order of the results (Kafka builds it
  // from the response map), remembering what this response tells the fetcher.
  std::vector<cached_partition> cached;
  cached.reserve(results.size());
  for (const auto& r : results) {
    auto it = request_index_.find(make_session_key(r.partition, uses_topic_ids));
    SAMSA_ASSERT(it != request_index_.end(), "fetch result for a partition the request did not list");
    cached.push_back(cached_partition{r.partition, partitions_[it->second].state, offset{r.data.high_watermark},
                                      offset{r.data.log_start_offset}});
  }
  guarded_shard& shard = cache_->next_shard_for_new_session();
  int32_t session_id;
  {
    std::lock_guard lock(shard.mu);
    session_id = shard.state.maybe_create_session(now_ms, is_follower_, uses_topic_ids, std::move(cached));
  }
  return make_fetch_response(protocol::error_code::none, session_id, std::move(results));
}

protocol::fetch_response fetch_context::throttled_response(int32_t throttle_time_ms) const {
  protocol::fetch_response response;
  if (kind_ == kind::incremental) {
    std::lock_guard lock(shard_->mu);
    protocol::error_code error = session_->epoch() == next_epoch(request_epoch_)
                                     ? protocol::error_code::none
                                     : protocol::error_code::invalid_fetch_session_epoch;
    response = make_fetch_response(error, session_->id(), {});
  } else {
    response = make_fetch_response(protocol::error_code::none, invalid_session_id, {});
  }
  response.throttle_time_ms = throttle_time_ms;
  return response;
}

size_t fetch_context::response_size(const std::vector<partition_result>& results) const {
  protocol::fetch_response preview;
  switch (kind_) {
    case kind::session_error:
      preview = make_fetch_response(error_, invalid_session_id, {});
      break;
    case kind::sessionless:
    case kind::full:
      preview = make_fetch_response(protocol::error_code::none, invalid_session_id, results);
      break;
    case kind::incremental:
      preview = select_incremental(*shard_, *session_, request_epoch_, results, /*update=*/false);
      break;
  }
  // Kafka's FetchResponse.sizeOf: 4 bytes of correlation id plus the body.
  return 4 + preview.encoded_size(version_);
}

}  // namespace samsa::broker
