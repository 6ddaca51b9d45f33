#include "broker/handlers/list_offsets.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/data/data_plane.h"
#include "broker/data/storage_errors.h"
#include "protocol/error_code.h"
#include "protocol/generated/list_offsets.h"
#include "storage/log/partition_log.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using request_t = protocol::list_offsets_request;
using response_t = protocol::list_offsets_response;
using partition_response = response_t::ListOffsetsPartitionResponse;

constexpr int32_t kConsumerReplicaId = -1;   // ListOffsetsRequest.CONSUMER_REPLICA_ID
constexpr int32_t kDebuggingReplicaId = -2;  // ListOffsetsRequest.DEBUGGING_REPLICA_ID

int16_t code(error_code e) { return static_cast<int16_t>(e); }

partition_response error_response(int32_t partition, error_code e) {
  partition_response r;
  r.partition_index = partition;
  r.error_code = code(e);
  r.timestamp = -1;
  r.offset = -1;
  return r;
}

// ReplicaManager.isListOffsetsTimestampUnsupported.
bool timestamp_unsupported(int64_t timestamp, int16_t version) {
  if (timestamp >= 0) return false;
  switch (timestamp) {
    case storage::kEarliestTimestamp:
    case storage::kLatestTimestamp: return version < 1;
    case storage::kMaxTimestamp: return version < 7;
    case storage::kEarliestLocalTimestamp: return version < 8;
    case storage::kLatestTieredTimestamp: return version < 9;
    default: return true;
  }
}

partition_response list_one(broker_services& services, const metadata_image& image, const request_t& request,
                            int16_t version, const std::string& topic, const request_t::ListOffsetsPartition& p) {
  data::partition_lookup found = services.data->partitions.find(image, topic, p.partition_index);
  error_code e = found.error;
  // Partition.localLogWithEpochOrThrow, once the partition is found.
  if (e == error_code::none && p.current_leader_epoch != -1) {
    if (found.metadata->leader_epoch > p.current_leader_epoch) e = error_code::fenced_leader_epoch;
    else if (found.metadata->leader_epoch < p.current_leader_epoch) e = error_code::unknown_leader_epoch;
  }
  // A debugging replica (-2) may read a follower; single broker: only leaders are hosted.
  if (e != error_code::none) return error_response(p.partition_index, e);
  storage::partition_log& log = found.partition->log();

  const bool client = request.replica_id == kConsumerReplicaId;
  offset last_fetchable = log.log_end_offset();
  if (client) last_fetchable = request.isolation_level == 1 ? log.last_stable_offset() : log.high_watermark();

  partition_response r;
  r.partition_index = p.partition_index;
  r.error_code = code(error_code::none);
  if (p.timestamp == storage::kLatestTimestamp) {
    r.timestamp = -1;
    r.offset = last_fetchable.value();
    if (version >= 4) r.leader_epoch = found.metadata->leader_epoch;
    return r;
  }
  auto found_offset = log.fetch_offset_by_timestamp(p.timestamp);
  if (!found_offset) return error_response(p.partition_index, data::to_kafka_error(found_offset.code()));
  const bool limited = p.timestamp != storage::kEarliestTimestamp && p.timestamp != storage::kEarliestLocalTimestamp;
  if (!*found_offset || (limited && (*found_offset)->offset >= last_fetchable)) {
    return error_response(p.partition_index, error_code::none);
  }
  r.timestamp = (*found_offset)->timestamp_ms;
  r.offset = (*found_offset)->offset.value();
  if (version >= 4 && (*found_offset)->leader_epoch) r.leader_epoch = (*found_offset)->leader_epoch->value();
  return r;
}

}  // namespace

void handle_list_offsets(request_context&& ctx) {
  request_t request;
  if (!ctx.decode(request)) return;
  broker_services& services = ctx.services();
  const int16_t version = ctx.api_version();
  auto image = services.metadata->current();

  // ListOffsetsRequest.duplicatePartitions.
  std::set<std::pair<std::string, int32_t>> seen, duplicates;
  for (const auto& t : request.topics)
    for (const auto& p : t.partitions)
      if (!seen.emplace(t.name, p.partition_index).second) duplicates.emplace(t.name, p.partition_index);

  response_t out;
  std::map<std::string, size_t> topic_slots;
  std::set<std::pair<std::string, int32_t>> answered;
  for (const auto& t : request.topics) {
    auto [slot, inserted] = topic_slots.try_emplace(t.name, out.topics.size());
    if (inserted) out.topics.emplace_back().name = t.name;
    for (const auto& p : t.partitions) {
      if (!answered.emplace(t.name, p.partition_index).second) continue;  // one answer per partition, as Kafka's map
      partition_response r;
      if (duplicates.contains({t.name, p.partition_index})) {
        r = error_response(p.partition_index, error_code::invalid_request);
      } else if (timestamp_unsupported(p.timestamp, version)) {
        r = error_response(p.partition_index, error_code::unsupported_version);
      } else {
        r = list_one(services, *image, request, version, t.name, p);
      }
      out.topics[slot->second].partitions.push_back(std::move(r));
    }
  }
  ctx.respond(out);
}

}  // namespace samsa::broker
