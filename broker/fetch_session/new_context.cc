// fetch_session_cache::new_context: Kafka's FetchManager.newContext.

#include <mutex>

#include "broker/fetch_session/fetch_session_cache.h"
#include "broker/fetch_session/request_partitions.h"

namespace samsa::broker {

fetch_context fetch_session_cache::new_context(const protocol::fetch_request& request, int16_t version,
                                               bool is_follower, const topic_name_resolver& resolver,
                                               int64_t now_ms) {
  const fetch_metadata metadata = request_metadata(request, version);
  const bool uses_topic_ids = version >= first_topic_id_fetch_version;
  // Read before taking any lock: it depends only on the request and metadata.
  std::vector<partition_to_fetch> fetch_data = request_fetch_data(request, version, resolver);

  if (metadata.is_full()) {
    // A full request closes the session it names, whatever it asks next.
    if (metadata.session_id != invalid_session_id) {
      if (guarded_shard* shard = shard_for(metadata.session_id)) {
        std::lock_guard lock(shard->mu);
        shard->state.remove(metadata.session_id);
      }
    }
    if (metadata.epoch == final_epoch) return fetch_context::sessionless(std::move(fetch_data), version);
    return fetch_context::full(*this, std::move(fetch_data), version, is_follower);
  }

  guarded_shard* shard = shard_for(metadata.session_id);
  if (!shard) return fetch_context::session_error(protocol::error_code::fetch_session_id_not_found, version);
  std::lock_guard lock(shard->mu);
  std::shared_ptr<fetch_session> session = shard->state.get(metadata.session_id);
  if (!session) return fetch_context::session_error(protocol::error_code::fetch_session_id_not_found, version);
  if (session->epoch() != metadata.epoch) {
    return fetch_context::session_error(protocol::error_code::invalid_fetch_session_epoch, version);
  }
  if (session->uses_topic_ids() != uses_topic_ids) {
    // A session keyed by names cannot be continued by ids, nor the reverse.
    return fetch_context::session_error(protocol::error_code::fetch_session_topic_id_error, version);
  }

  session->update(fetch_data, request_forgotten(request, version));
  if (session->empty()) {
    // Nothing left to follow: close the session, answer what was asked.
    shard->state.remove(session->id());
    return fetch_context::sessionless(std::move(fetch_data), version);
  }
  shard->state.touch(*session, now_ms);
  session->advance_epoch();
  std::vector<partition_to_fetch> partitions = session->partitions_to_fetch(resolver);
  return fetch_context::incremental(*shard, std::move(session), metadata.epoch, std::move(partitions), version);
}

}  // namespace samsa::broker
