#pragma once

// What one Fetch request means for sessions (Kafka's FetchContext and its four
// kinds in core/.../server/FetchSession.scala), made by
// fetch_session_cache::new_context. It tells the handler which partitions to
// read, in which order, with which fetch state; then turns the handler's
// results into the response, updating the session.
//
//   session_error  the request names a session it cannot use; partitions() is
//                  empty, the response carries only error() (session id 0).
//   sessionless    epoch -1 (and every request before v7): all partitions read
//                  and answered, no session kept (session id 0).
//   full           epoch 0: all partitions read and answered; build_response
//                  tries to create a session from them and returns its id (or 0
//                  when the cache has no room).
//   incremental    epoch >= 1 in a known session: partitions() is the whole
//                  session after applying the request's additions, changes and
//                  forgotten partitions, in session order; the response carries
//                  only partitions whose state changed (fetch_session.h).
//
// Fairness: after an incremental response, partitions that returned records
// move to the end of the session order, so the next request reads the others
// first and one busy partition cannot starve the rest under response limits.
//
// Thread-safety: a context is owned by one request; it may move between
// threads but is not for concurrent use. Its methods lock the cache shard that
// holds its session. The fetch_session_cache must outlive the context.
//
// Lifecycle: the handler reads partitions(), then calls build_response (or
// throttled_response) once. Calling build_response again is allowed, as in
// Kafka's tests: an incremental context then filters against what the
// previous call recorded; a full context would try to create another session.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "broker/fetch_session/fetch_session.h"
#include "broker/fetch_session/fetch_session_cache_shard.h"
#include "broker/fetch_session/fetch_types.h"
#include "broker/fetch_session/session_key.h"
#include "protocol/error_code.h"

namespace samsa::broker {

class fetch_session_cache;

class fetch_context {
 public:
  enum class kind : uint8_t { session_error, sessionless, full, incremental };

  fetch_context(fetch_context&&) noexcept = default;
  fetch_context& operator=(fetch_context&&) noexcept = default;
  fetch_context(const fetch_context&) = delete;
  fetch_context& operator=(const fetch_context&) = delete;

  kind type() const { return kind_; }
  // The top-level error of the response: none unless type() is session_error.
  protocol::error_code error() const { return error_; }
  // The session an incremental request continues; invalid_session_id otherwise.
  int32_t session_id() const;
  // The partitions to read, in order, with the fetch state to read them with.
  // A partition with no topic name (v13+, unknown id) must be answered with
  // UNKNOWN_TOPIC_ID.
  const std::vector<partition_to_fetch>& partitions() const { return partitions_; }

  // Kafka's updateAndGenerateResponseData. `results` holds what the handler
  // produced, one entry per partition of partitions(), in the order the
  // response should list them. now_ms is the cache's clock (monotonic
  // milliseconds); only a full context uses it (the new session's creation).
  // The response's throttle time is 0; node endpoints are left to the handler.
  //
  // Precondition: every result names a partition of partitions(), at most once.
  protocol::fetch_response build_response(std::vector<partition_result> results, int64_t now_ms);

  // Kafka's getThrottledResponse: an empty response with the throttle time,
  // which leaves the session as new_context left it. Full and sessionless
  // contexts answer with session id 0 (no session is created); an incremental
  // one keeps its session id (INVALID_FETCH_SESSION_EPOCH if another request
  // moved the session on meanwhile). A session_error context answers with no
  // error, as Kafka does.
  protocol::fetch_response throttled_response(int32_t throttle_time_ms) const;

  // Kafka's getResponseSize: the bytes (4 + encoded response at the request's
  // version) build_response would produce for `results`, without changing the
  // session. For quota decisions made before choosing between build_response
  // and throttled_response.
  size_t response_size(const std::vector<partition_result>& results) const;

 private:
  friend class fetch_session_cache;

  fetch_context(kind k, int16_t version) : kind_(k), version_(version) {}
  static fetch_context session_error(protocol::error_code error, int16_t version);
  static fetch_context sessionless(std::vector<partition_to_fetch> partitions, int16_t version);
  static fetch_context full(fetch_session_cache& cache, std::vector<partition_to_fetch> partitions, int16_t version,
                            bool is_follower);
  static fetch_context incremental(guarded_shard& shard, std::shared_ptr<fetch_session> session,
                                   int32_t request_epoch, std::vector<partition_to_fetch> partitions,
                                   int16_t version);

  protocol::fetch_response build_full(std::vector<partition_result> results, int64_t now_ms);

  kind kind_;
  protocol::error_code error_ = protocol::error_code::none;
  int16_t version_;
  std::vector<partition_to_fetch> partitions_;

  // full: where the session is created, and the request's partitions by key.
  fetch_session_cache* cache_ = nullptr;
  bool is_follower_ = false;
  std::unordered_map<session_key, size_t, session_key_hash> request_index_;

  // incremental: the session and the epoch of the request. Invariant: the
  // session's epoch was next_epoch(request_epoch_) when the context was made;
  // if it differs later, another request used the session in between.
  guarded_shard* shard_ = nullptr;
  std::shared_ptr<fetch_session> session_;
  int32_t request_epoch_ = 0;
};

}  // namespace samsa::broker
