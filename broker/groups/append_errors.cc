#include "broker/groups/append_errors.h"

namespace samsa::broker::groups {

using protocol::error_code;

namespace {

// The part both mappings share; nullopt for what each decides itself.
std::optional<error_code> coordinator_error(error_code e) {
  switch (e) {
    case error_code::unknown_topic_or_partition:
    case error_code::not_enough_replicas:
    case error_code::request_timed_out: return error_code::coordinator_not_available;
    case error_code::not_leader_or_follower:
    case error_code::kafka_storage_error: return error_code::not_coordinator;
    default: return std::nullopt;
  }
}

bool too_large(error_code e) {
  return e == error_code::message_too_large || e == error_code::record_list_too_large ||
         e == error_code::invalid_fetch_size;
}

}  // namespace

error_code group_metadata_append_error(error_code e) {
  if (auto c = coordinator_error(e)) return *c;
  return too_large(e) ? error_code::unknown_server_error : e;
}

error_code offset_commit_append_error(error_code e) {
  if (auto c = coordinator_error(e)) return *c;
  return too_large(e) ? error_code::invalid_commit_offset_size : e;
}

}  // namespace samsa::broker::groups
