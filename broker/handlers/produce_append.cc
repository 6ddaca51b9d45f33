#include "broker/handlers/produce_append.h"

#include <spdlog/spdlog.h>

#include "broker/broker_services.h"
#include "broker/cluster/topic_name.h"
#include "broker/data/data_plane.h"
#include "broker/data/storage_errors.h"
#include "broker/data/topic_settings.h"
#include "storage/log/partition_log.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using partition_response = protocol::produce_response::PartitionProduceResponse;

int16_t code(error_code e) { return static_cast<int16_t>(e); }

// Kafka answers these append failures without the log start offset
// (ReplicaManager.appendToLocalLog lists them as "known" exceptions); every
// other failure carries the partition's log start offset.
bool known_append_error(storage::errc e) {
  switch (e) {
    case storage::errc::corrupt_record:
    case storage::errc::record_too_large:
    case storage::errc::record_batch_too_large:
    case storage::errc::io_error:
    case storage::errc::log_closed:
      return true;
    default:
      return false;
  }
}

partition_response from_storage_error(const storage::error& e, const storage::partition_log& log) {
  partition_response r = produce_error(data::to_kafka_error(e.code),
                                       known_append_error(e.code) ? -1 : log.log_start_offset().value());
  // RecordValidationException: per-record errors and the message go back to the client.
  if (e.code == storage::errc::invalid_record || e.code == storage::errc::invalid_timestamp) {
    for (const auto& d : e.record_errors) {
      protocol::produce_response::BatchIndexAndErrorMessage m;
      m.batch_index = d.batch_index;
      if (!d.message.empty()) m.batch_index_error_message = d.message;
      r.record_errors.push_back(std::move(m));
    }
    r.error_message = e.message;
  }
  return r;
}

}  // namespace

partition_response produce_error(error_code e, int64_t log_start_offset) {
  partition_response r;
  r.error_code = code(e);
  r.base_offset = -1;
  r.log_append_time_ms = -1;
  r.log_start_offset = log_start_offset;
  return r;
}

partition_append append_to_partition(broker_services& services, const metadata_image& image, const std::string& topic,
                                     int32_t partition, std::span<const uint8_t> records, const append_params& params) {
  partition_append out;
  if (is_internal_topic(topic) && !params.internal_topics_allowed) {
    out.response = produce_error(error_code::invalid_topic_exception);
    return out;
  }
  data::partition_lookup found = services.data->partitions.find(image, topic, partition);
  if (found.error != error_code::none) {
    out.response = produce_error(found.error);
    return out;
  }
  storage::partition_log& log = found.partition->log();
  if (params.acks == -1) {
    const int32_t min_isr = data::effective_min_isr(data::min_insync_replicas(services, *found.topic), *found.metadata);
    if (static_cast<int32_t>(found.metadata->isr.size()) < min_isr) {
      out.response = produce_error(error_code::not_enough_replicas, log.log_start_offset().value());
      return out;
    }
  }
  // The request frame is this request's own buffer, read from the socket and
  // shared with nobody: storage rewrites the batch header in place (offsets,
  // leader epoch, max timestamp, CRC), so the bytes go from the socket buffer
  // to the page cache without a copy in user space.
  std::span<uint8_t> writable(const_cast<uint8_t*>(records.data()), records.size());
  auto appended = log.append_as_leader(writable, leader_epoch{found.metadata->leader_epoch}, storage::append_origin::client,
                                       params.verification_guard);
  if (!appended) {
    const storage::error& e = appended.error_value();
    if (e.code == storage::errc::log_closed) services.data->partitions.forget(found.partition);
    if (e.code == storage::errc::io_error || e.code == storage::errc::corrupt_file) {
      services.logger->warn("append to {}-{} failed: {}", topic, partition, e.message);
    }
    out.response = from_storage_error(e, log);
    return out;
  }
  const storage::append_info& info = *appended;
  out.response.error_code = code(error_code::none);
  out.response.base_offset = info.first_offset.value();
  out.response.log_append_time_ms = info.log_append_time_ms;
  out.response.log_start_offset = info.log_start_offset.value();
  out.log = found.partition->log_ptr();
  out.end_offset = offset{info.last_offset.value() + 1};
  if (!info.duplicate && info.first_offset.value() >= 0) found.partition->appended(out.end_offset);
  return out;
}

}  // namespace samsa::broker
