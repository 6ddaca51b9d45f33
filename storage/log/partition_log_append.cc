// partition_log appends: Kafka's UnifiedLog.append for the leader and follower paths.

#include <map>

#include "protocol/records/batch_iterator.h"
#include "storage/log/partition_log.h"

namespace samsa::storage {

namespace {

error from_iteration_error(protocol::record_error e) {
  switch (e) {
    case protocol::record_error::unsupported_magic:
      return error(errc::invalid_record, "record batch magic 0/1 (legacy message set) is not supported");
    default:
      return error(errc::corrupt_record, std::string("malformed record batch: ") + std::string(protocol::to_string(e)));
  }
}

// Kafka's analyzeAndValidateRecords: walks the batches, checks what applies to
// the origin, and measures the valid prefix.
struct analysis {
  uint64_t valid_bytes = 0;
  int32_t batches = 0;
  samsa::offset first_offset{-1};
  samsa::offset last_offset{-1};
  int64_t max_timestamp_ms = -1;
  samsa::offset shallow_offset_of_max_timestamp{-1};
  bool monotonic = true;
};

result<analysis> analyze(std::span<const uint8_t> records, append_origin origin, bool check_size,
                         int32_t max_message_bytes) {
  analysis a;
  protocol::batch_iterator it(records, protocol::crc_check::skip);
  int64_t prev_last = -1;
  bool first = true;
  while (it.next()) {
    const protocol::batch_view& b = it.batch();
    if (origin == append_origin::client && b.base_offset().value() != 0) {
      return error(errc::invalid_record, "The baseOffset of the record batch should be 0, but it is " +
                                             std::to_string(b.base_offset().value()));
    }
    if (first) a.first_offset = b.base_offset();
    first = false;
    if (prev_last >= b.last_offset().value() || b.base_offset().value() <= prev_last) a.monotonic = false;
    prev_last = b.last_offset().value();
    a.last_offset = b.last_offset();
    if (check_size && b.size_bytes() > static_cast<size_t>(max_message_bytes)) {
      return error(errc::record_too_large, "The record batch size in the append is " + std::to_string(b.size_bytes()) +
                                               " bytes which exceeds the maximum configured value of " +
                                               std::to_string(max_message_bytes));
    }
    if (!b.crc_matches()) return error(errc::corrupt_record, "Record is corrupt (CRC mismatch)");
    if (b.max_timestamp_ms() > a.max_timestamp_ms) {
      a.max_timestamp_ms = b.max_timestamp_ms();
      a.shallow_offset_of_max_timestamp = b.last_offset();
    }
    a.valid_bytes += b.size_bytes();
    ++a.batches;
  }
  if (it.error() && *it.error() != protocol::record_error::partial_batch) return from_iteration_error(*it.error());
  return a;
}

}  // namespace

result<append_info> partition_log::append_as_leader(std::span<uint8_t> records, samsa::leader_epoch leader_epoch,
                                                    append_origin origin, std::optional<uint64_t> verification_guard) {
  std::lock_guard<std::mutex> g(mu_);
  if (auto s = check_writable(); !s) return s.error();
  auto a = analyze(records, origin, true, config_.max_message_bytes);
  if (!a) return a.error();
  append_info info;
  info.log_start_offset = log_start_offset();
  if (a->valid_bytes == 0) return info;
  if (a->batches > 1) return error(errc::invalid_record, "Compressed outer record has more than one batch");

  const samsa::offset first_offset = log_end_offset();
  validator_params p;
  p.compression = config_.compression;
  p.compacted = config_.cleanup_compact;
  p.timestamp_type = config_.message_timestamp_type;
  p.timestamp_before_max_ms = config_.message_timestamp_before_max_ms;
  p.timestamp_after_max_ms = config_.message_timestamp_after_max_ms;
  p.partition_leader_epoch = leader_epoch;
  p.origin = origin;
  p.now_ms = clock_.now_ms();
  p.max_uncompressed_bytes = static_cast<size_t>(config_.max_uncompressed_batch_bytes());
  auto vr = validate_and_assign_offsets(records.first(a->valid_bytes), first_offset, p);
  if (!vr) return vr.error();
  const std::span<const uint8_t> bytes =
      vr->rebuilt ? std::span<const uint8_t>(vr->rebuilt_batch) : std::span<const uint8_t>(records.first(a->valid_bytes));
  if (vr->rebuilt && bytes.size() > static_cast<size_t>(config_.max_message_bytes)) {
    return error(errc::record_too_large, "Message batch size is " + std::to_string(bytes.size()) +
                                             " bytes after recompression, above max.message.bytes");
  }
  if (bytes.size() > static_cast<size_t>(config_.segment_bytes)) {
    return error(errc::record_batch_too_large, "Message batch size is " + std::to_string(bytes.size()) +
                                                   " bytes, above the segment size " + std::to_string(config_.segment_bytes));
  }
  const protocol::batch_view batch = protocol::batch_view::from_prefix(bytes).value();

  auto seg = maybe_roll(static_cast<int32_t>(bytes.size()), first_offset, vr->last_offset, vr->max_timestamp_ms);
  if (!seg) return seg.error();

  // Kafka's analyzeAndValidateProducerState.
  std::optional<producer_append_info> pinfo;
  std::optional<completed_txn> completed;
  if (batch.producer_id().value() >= 0) {
    const int32_t last_seq =
        batch.base_sequence() < 0 ? -1 : increment_sequence(batch.base_sequence(), batch.last_offset_delta());
    if (origin == append_origin::client) {
      if (const producer_state_entry* e = producers_.last_entry(batch.producer_id())) {
        if (auto dup = e->find_duplicate(batch.producer_epoch(), batch.base_sequence(), last_seq)) {
          info.first_offset = dup->first_offset();
          info.last_offset = dup->last_offset;
          info.log_append_time_ms = dup->timestamp_ms;
          info.duplicate = true;
          return info;
        }
      }
    }
    // Kafka's batchMissingRequiredVerification: the first batch of a
    // transaction needs the guard its verification started with; a marker
    // appended since cleared it.
    if (verification_guard && batch.attributes().is_transactional() && !batch.attributes().is_control()) {
      const producer_state_entry* e = producers_.last_entry(batch.producer_id());
      const bool ongoing = e && e->current_txn_first_offset();
      const uint64_t held = producers_.verification_guard(batch.producer_id());
      if (!ongoing && (*verification_guard == 0 || held != *verification_guard))
        return error(errc::invalid_txn_state, "Record was not part of an ongoing transaction");
    }
    pinfo = producers_.prepare_update(batch.producer_id(), origin);
    auto r = pinfo->append(batch);
    if (!r) return r.error();
    completed = *r;
  }

  if (auto s = (*seg)->append(vr->last_offset, vr->max_timestamp_ms, vr->shallow_offset_of_max_timestamp, bytes); !s) {
    return fail(s.error()).error();
  }
  epochs_.assign(batch.partition_leader_epoch(), batch.base_offset());
  const samsa::offset next{vr->last_offset.value() + 1};
  set_log_end_offset(next);
  if (pinfo) producers_.update(*pinfo);
  // A transactional batch started or ended the transaction: the verification
  // is over (Kafka's updateProducers).
  if (batch.attributes().is_transactional()) producers_.clear_verification_guard(batch.producer_id());
  if (completed) {
    const samsa::offset lso = producers_.last_stable_offset(*completed);
    if (completed->aborted) {
      (*seg)->append_aborted_txn({completed->producer_id, completed->first_offset, completed->last_offset, lso});
    }
    (void)producers_.complete_txn(*completed);
  }
  producers_.update_map_end_offset(next);
  update_first_unstable_offset();
  after_append_locked(**seg, next);

  info.first_offset = first_offset;
  info.last_offset = vr->last_offset;
  info.max_timestamp_ms = vr->max_timestamp_ms;
  info.shallow_offset_of_max_timestamp = vr->shallow_offset_of_max_timestamp;
  if (config_.message_timestamp_type == protocol::timestamp_type::log_append_time) {
    info.log_append_time_ms = vr->log_append_time_ms;
  }
  info.record_count = vr->record_count;
  info.valid_bytes = bytes.size();
  return info;
}

result<append_info> partition_log::append_as_follower(std::span<const uint8_t> records) {
  std::lock_guard<std::mutex> g(mu_);
  if (auto s = check_writable(); !s) return s.error();
  auto a = analyze(records, append_origin::replication, false, 0);
  if (!a) return a.error();
  append_info info;
  info.log_start_offset = log_start_offset();
  if (a->valid_bytes == 0) return info;
  if (!a->monotonic) return error(errc::offsets_out_of_order, "Out of order offsets found in append");
  if (a->first_offset < log_end_offset()) {
    return error(errc::unexpected_append_offset, "First offset " + std::to_string(a->first_offset.value()) +
                                                     " is less than the next offset " +
                                                     std::to_string(log_end_offset().value()));
  }
  const std::span<const uint8_t> bytes = records.first(a->valid_bytes);
  if (bytes.size() > static_cast<size_t>(config_.segment_bytes)) {
    return error(errc::record_batch_too_large, "Message batch size is " + std::to_string(bytes.size()) +
                                                   " bytes, above the segment size");
  }
  auto seg = maybe_roll(static_cast<int32_t>(bytes.size()), a->first_offset, a->last_offset, a->max_timestamp_ms);
  if (!seg) return seg.error();
  if (!(*seg)->can_convert_to_relative_offset(a->last_offset)) {
    return error(errc::invalid_argument, "append spans more offsets than one segment can index");
  }

  std::map<int64_t, producer_append_info> pinfos;
  std::vector<completed_txn> completed;
  protocol::batch_iterator it(bytes, protocol::crc_check::skip);
  while (it.next()) {
    const protocol::batch_view& b = it.batch();
    if (b.producer_id().value() < 0) continue;
    auto pi = pinfos.find(b.producer_id().value());
    if (pi == pinfos.end()) {
      pi = pinfos.emplace(b.producer_id().value(), producers_.prepare_update(b.producer_id(), append_origin::replication))
               .first;
    }
    auto r = pi->second.append(b);
    if (!r) return r.error();
    if (*r) completed.push_back(**r);
  }

  if (auto s = (*seg)->append(a->last_offset, a->max_timestamp_ms, a->shallow_offset_of_max_timestamp, bytes); !s) {
    return fail(s.error()).error();
  }
  protocol::batch_iterator epochs_it(bytes, protocol::crc_check::skip);
  while (epochs_it.next()) epochs_.assign(epochs_it.batch().partition_leader_epoch(), epochs_it.batch().base_offset());
  const samsa::offset next{a->last_offset.value() + 1};
  set_log_end_offset(next);
  for (auto& [id, pi] : pinfos) producers_.update(pi);
  for (const completed_txn& c : completed) {
    const samsa::offset lso = producers_.last_stable_offset(c);
    if (c.aborted) (*seg)->append_aborted_txn({c.producer_id, c.first_offset, c.last_offset, lso});
    (void)producers_.complete_txn(c);
  }
  producers_.update_map_end_offset(next);
  update_first_unstable_offset();
  after_append_locked(**seg, next);

  info.first_offset = a->first_offset;
  info.last_offset = a->last_offset;
  info.max_timestamp_ms = a->max_timestamp_ms;
  info.shallow_offset_of_max_timestamp = a->shallow_offset_of_max_timestamp;
  info.valid_bytes = bytes.size();
  return info;
}

}  // namespace samsa::storage
