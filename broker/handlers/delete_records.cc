#include "broker/handlers/delete_records.h"

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/cluster/topic_name.h"
#include "broker/data/data_plane.h"
#include "broker/data/storage_errors.h"
#include "protocol/error_code.h"
#include "protocol/generated/delete_records.h"
#include "storage/log/partition_log.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using request_t = protocol::delete_records_request;
using response_t = protocol::delete_records_response;

constexpr int64_t kHighWatermark = -1;  // DeleteRecordsRequest.HIGH_WATERMARK

response_t::DeleteRecordsPartitionResult failed(int32_t partition, error_code e) {
  response_t::DeleteRecordsPartitionResult r;
  r.partition_index = partition;
  r.low_watermark = -1;
  r.error_code = static_cast<int16_t>(e);
  return r;
}

response_t::DeleteRecordsPartitionResult delete_one(broker_services& services, const metadata_image& image,
                                                    const std::string& topic,
                                                    const request_t::DeleteRecordsPartition& p) {
  const topic_metadata* t = image.find_topic(topic);
  if (!t || !data::find_partition(*t, p.partition_index)) return failed(p.partition_index, error_code::unknown_topic_or_partition);
  if (is_internal_topic(topic)) return failed(p.partition_index, error_code::invalid_topic_exception);
  data::partition_lookup found = services.data->partitions.find(*t, p.partition_index);
  if (found.error != error_code::none) return failed(p.partition_index, found.error);
  storage::partition_log& log = found.partition->log();
  if (!log.config().cleanup_delete) return failed(p.partition_index, error_code::policy_violation);
  const int64_t target = p.offset == kHighWatermark ? log.high_watermark().value() : p.offset;
  if (target < 0) return failed(p.partition_index, error_code::offset_out_of_range);
  auto moved = log.maybe_increment_log_start_offset(offset{target});
  if (!moved) return failed(p.partition_index, data::to_kafka_error(moved.code()));
  if (*moved) found.partition->changed();
  response_t::DeleteRecordsPartitionResult r;
  r.partition_index = p.partition_index;
  r.low_watermark = log.log_start_offset().value();
  return r;
}

}  // namespace

void handle_delete_records(request_context&& ctx) {
  request_t request;
  if (!ctx.decode(request)) return;
  auto image = ctx.services().metadata->current();
  response_t out;
  for (const auto& t : request.topics) {
    auto& rt = out.topics.emplace_back();
    rt.name = t.name;
    for (const auto& p : t.partitions) rt.partitions.push_back(delete_one(ctx.services(), *image, t.name, p));
  }
  ctx.respond(out);
}

}  // namespace samsa::broker
