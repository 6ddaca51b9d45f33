#include "broker/handlers/fetch_read.h"

#include <algorithm>
#include <spdlog/spdlog.h>

#include "broker/broker_services.h"
#include "broker/data/data_plane.h"
#include "broker/data/storage_errors.h"
#include "broker/fetch_session/response_builder.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using partition_data = protocol::fetch_response::PartitionData;

int16_t code(error_code e) { return static_cast<int16_t>(e); }

// Kafka's Partition.checkCurrentLeaderEpoch.
error_code check_leader_epoch(const std::optional<leader_epoch>& requested, int32_t ours) {
  if (!requested) return error_code::none;
  if (ours > requested->value()) return error_code::fenced_leader_epoch;
  if (ours < requested->value()) return error_code::unknown_leader_epoch;
  return error_code::none;
}

struct one_read {
  partition_data data;
  bool error = false;
  bool diverging = false;
};

// Partition.readRecords' check of lastFetchedEpoch: a fetcher whose last
// epoch ends earlier here (or is newer than ours) must truncate first.
std::optional<one_read> check_diverging(storage::partition_log& log, const partition_fetch_state& s) {
  if (!s.last_fetched_epoch) return std::nullopt;
  auto end = log.end_offset_for_epoch(*s.last_fetched_epoch);
  one_read out;
  if (!end || end->end_offset.value() < 0 || end->epoch.value() < 0) {
    out.data = read_error_data(error_code::offset_out_of_range);
    out.error = true;
    return out;
  }
  if (end->epoch < *s.last_fetched_epoch || end->end_offset < s.fetch_offset) {
    out.data.error_code = code(error_code::none);
    out.data.high_watermark = log.high_watermark().value();
    out.data.last_stable_offset = log.last_stable_offset().value();
    out.data.log_start_offset = log.log_start_offset().value();
    out.data.diverging_epoch.epoch = end->epoch.value();
    out.data.diverging_epoch.end_offset = end->end_offset.value();
    out.data.records = protocol::records::borrowed({});
    out.diverging = true;
    return out;
  }
  return std::nullopt;
}

one_read read_one(broker_services& services, const metadata_image& image, const fetch_params& params,
                  const partition_to_fetch& p, int64_t limit_bytes, bool min_one_message) {
  one_read out;
  data::partition_lookup found = services.data->partitions.find(image, *p.partition.topic, p.partition.partition.value());
  error_code e = found.error;
  if (e == error_code::none) e = check_leader_epoch(p.state.current_leader_epoch, found.metadata->leader_epoch);
  // A single broker has no followers: a replica fetching from us is not one of ours.
  if (e == error_code::none && params.is_follower) e = error_code::not_leader_or_follower;
  if (e != error_code::none) {
    out.data = read_error_data(e);
    out.error = true;
    return out;
  }
  storage::partition_log& log = found.partition->log();
  if (params.version < 10) {
    // KafkaApis.maybeConvertFetchedData: zstd-stored data needs Fetch v10+.
    const storage::topic_compression c = log.config().compression;
    if (!c.producer && c.codec == protocol::compression_codec::zstd) {
      out.data = error_partition_data(error_code::unsupported_compression_type);
      out.error = true;
      return out;
    }
  }
  if (auto d = check_diverging(log, p.state)) return *d;

  const int64_t max_bytes = std::min<int64_t>(p.state.max_bytes, limit_bytes);
  auto r = log.read(p.state.fetch_offset, std::max<int64_t>(max_bytes, 0), params.isolation, min_one_message);
  if (!r) {
    const storage::error& err = r.error_value();
    if (err.code == storage::errc::log_closed) services.data->partitions.forget(found.partition);
    if (err.code == storage::errc::io_error) services.logger->warn("fetch from {}-{} failed: {}", *p.partition.topic,
                                                                  p.partition.partition.value(), err.message);
    out.data = read_error_data(data::to_kafka_error(err.code));
    out.error = true;
    return out;
  }
  out.data.error_code = code(error_code::none);
  out.data.high_watermark = r->high_watermark.value();
  out.data.last_stable_offset = r->last_stable_offset.value();
  out.data.log_start_offset = r->log_start_offset.value();
  out.data.preferred_read_replica = -1;
  if (r->aborted_transactions) {
    std::vector<protocol::fetch_response::AbortedTransaction> aborted;
    aborted.reserve(r->aborted_transactions->size());
    for (const auto& t : *r->aborted_transactions) aborted.push_back({t.producer_id.value(), t.first_offset.value(), {}});
    out.data.aborted_transactions = std::move(aborted);
  } else {
    out.data.aborted_transactions = std::nullopt;
  }
  // Kafka replaces an incomplete first batch with nothing (consumers move on
  // by raising their fetch size; v3+ has no RecordTooLargeException).
  if (r->records && r->size_bytes > 0 && !r->first_entry_incomplete) {
    out.data.records = protocol::records::spliced(r->records);
  } else {
    out.data.records = protocol::records::borrowed({});
  }
  return out;
}

}  // namespace

partition_data read_error_data(error_code error) {
  partition_data d;
  d.error_code = code(error);
  d.high_watermark = -1;
  d.last_stable_offset = -1;
  d.log_start_offset = -1;
  d.aborted_transactions = std::nullopt;
  d.preferred_read_replica = -1;
  d.records = protocol::records::borrowed({});
  return d;
}

fetch_read read_partitions(broker_services& services, const metadata_image& image, const fetch_params& params,
                           const std::vector<partition_to_fetch>& partitions) {
  fetch_read out;
  out.results.reserve(partitions.size());
  int64_t limit_bytes = params.max_bytes;
  bool min_one_message = true;
  for (const auto& p : partitions) {
    one_read r = read_one(services, image, params, p, limit_bytes, min_one_message);
    const int64_t size = static_cast<int64_t>(r.data.records.size());
    // Once a partition returned data, the limits hold for the rest.
    if (size > 0) min_one_message = false;
    limit_bytes = std::max<int64_t>(0, limit_bytes - size);
    out.bytes += size;
    out.any_error |= r.error;
    out.any_diverging |= r.diverging;
    out.results.push_back({p.partition, std::move(r.data)});
  }
  return out;
}

}  // namespace samsa::broker
