#pragma once

// Reading a decoded Fetch request the way Kafka's FetchRequest.java does:
// its session metadata, its partitions (fetchData) and the partitions it asks
// the session to forget (forgottenTopics), with v13+ topic ids resolved to names.

#include <cstdint>
#include <vector>

#include "broker/fetch_session/fetch_metadata.h"
#include "broker/fetch_session/fetch_types.h"
#include "broker/fetch_session/session_key.h"

namespace samsa::broker {

// Fetch versions from which requests carry topic ids instead of names.
inline constexpr int16_t first_topic_id_fetch_version = 13;
// Fetch versions from which requests carry session id and epoch (KIP-227).
inline constexpr int16_t first_session_fetch_version = 7;

// Session id and epoch; before v7 (no such fields) always sessionless.
fetch_metadata request_metadata(const protocol::fetch_request& request, int16_t version);

// The requested partitions in request order. A partition listed twice keeps
// its first place and its last fetch state (Kafka collects them in a
// LinkedHashMap). From v13 names come from `resolver` (nullopt when unknown);
// before v13 topic ids are zero.
std::vector<partition_to_fetch> request_fetch_data(const protocol::fetch_request& request, int16_t version,
                                                   const topic_name_resolver& resolver);

// The keys of the forgotten partitions, keyed as a session of this version
// keys them (by id from v13, by name before).
std::vector<session_key> request_forgotten(const protocol::fetch_request& request, int16_t version);

}  // namespace samsa::broker
