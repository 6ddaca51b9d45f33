#pragma once

// The (session id, session epoch) pair a Fetch request carries (KIP-227), with
// Kafka's constants and epoch arithmetic. Mirrors Kafka's
// clients/.../common/requests/FetchMetadata.java.
//
//   id == 0, epoch == -1   sessionless: no session, none created (also every request before v7)
//   id == 0, epoch ==  0   full fetch that asks for a new session
//   id == S, epoch ==  0   full fetch: close session S, then try to create a new one
//   id == S, epoch == -1   full fetch: close session S, create none
//   id == S, epoch >=  1   incremental fetch in session S; must equal the session's epoch

#include <cstdint>
#include <limits>

namespace samsa::broker {

// The session id of a client with no session (and of a response that created none).
inline constexpr int32_t invalid_session_id = 0;
// In a request: "create (or re-create) a session".
inline constexpr int32_t initial_epoch = 0;
// In a request: "close any session, create none".
inline constexpr int32_t final_epoch = -1;

struct fetch_metadata {
  int32_t session_id = invalid_session_id;
  int32_t epoch = final_epoch;

  // Full requests list every partition; incremental ones list only changes.
  constexpr bool is_full() const { return epoch == initial_epoch || epoch == final_epoch; }
};

// The epoch after `previous`: negative epochs stay final, and the sequence wraps
// from INT32_MAX to 1 (never back to 0, which means "new session").
constexpr int32_t next_epoch(int32_t previous) {
  if (previous < 0) return final_epoch;
  if (previous == std::numeric_limits<int32_t>::max()) return 1;
  return previous + 1;
}

}  // namespace samsa::broker
