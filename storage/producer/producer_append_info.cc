#include "storage/producer/producer_append_info.h"

#include <string>

#include "protocol/records/batch_records.h"
#include "protocol/records/control_record.h"
#include "protocol/records/record_reader.h"

namespace samsa::storage {

status producer_append_info::check_epoch(samsa::producer_epoch epoch, samsa::offset o) const {
  if (epoch < updated_.producer_epoch() && origin_ != append_origin::replication) {
    return error(errc::invalid_producer_epoch, "Epoch of producer " + std::to_string(producer_id_.value()) +
                                                   " at offset " + std::to_string(o.value()) + " is " +
                                                   std::to_string(epoch.value()) + ", which is smaller than the last seen epoch " +
                                                   std::to_string(updated_.producer_epoch().value()));
  }
  return {};
}

status producer_append_info::check_sequence(samsa::producer_epoch epoch, int32_t first_seq, samsa::offset o) const {
  auto in_sequence = [](int32_t last, int32_t next) {
    return int64_t{next} == int64_t{last} + 1 || (next == 0 && last == INT32_MAX);
  };
  if (epoch != updated_.producer_epoch()) {
    if (first_seq != 0 && updated_.producer_epoch().value() != -1) {
      return error(errc::out_of_order_sequence, "Invalid sequence number for new epoch of producer " +
                                                    std::to_string(producer_id_.value()) + ": " +
                                                    std::to_string(epoch.value()) + " (request epoch), " +
                                                    std::to_string(first_seq) + " (seq. number)");
    }
    return {};
  }
  int32_t current_last_seq = -1;
  if (!updated_.empty()) {
    current_last_seq = updated_.last_seq();
  } else if (epoch == current_.producer_epoch()) {
    current_last_seq = current_.last_seq();
  }
  // KIP-360: a producer whose state the log lost (expired, deleted) may continue at any sequence.
  if (!(current_.producer_epoch().value() == -1 || in_sequence(current_last_seq, first_seq))) {
    return error(errc::out_of_order_sequence, "Out of order sequence number for producer " +
                                                  std::to_string(producer_id_.value()) + " at offset " +
                                                  std::to_string(o.value()) + ": " + std::to_string(first_seq) +
                                                  " (incoming seq. number), " + std::to_string(current_last_seq) +
                                                  " (current end sequence number)");
  }
  return {};
}

status producer_append_info::append_data_batch(samsa::producer_epoch epoch, int32_t first_seq, int32_t last_seq,
                                               int64_t last_timestamp_ms, samsa::offset first_offset,
                                               samsa::offset last_offset, bool transactional) {
  if (auto s = check_epoch(epoch, first_offset); !s) return s;
  if (origin_ == append_origin::client) {
    if (auto s = check_sequence(epoch, first_seq, first_offset); !s) return s;
  }
  updated_.add_batch(epoch, last_seq, last_offset, static_cast<int32_t>(last_offset.value() - first_offset.value()),
                     last_timestamp_ms);
  const auto txn = updated_.current_txn_first_offset();
  if (txn && !transactional) {
    return error(errc::invalid_txn_state, "Expected transactional write from producer " +
                                              std::to_string(producer_id_.value()) + " at offset " +
                                              std::to_string(first_offset.value()));
  }
  if (!txn && transactional) {
    updated_.set_current_txn_first_offset(first_offset);
    started_.push_back(first_offset);
  }
  return {};
}

result<std::optional<completed_txn>> producer_append_info::append_end_txn_marker(bool abort, int32_t coordinator_epoch,
                                                                                 samsa::producer_epoch epoch,
                                                                                 samsa::offset offset,
                                                                                 int64_t timestamp_ms) {
  if (auto s = check_epoch(epoch, offset); !s) return s.error();
  if (updated_.coordinator_epoch() > coordinator_epoch && origin_ != append_origin::replication) {
    return error(errc::transaction_coordinator_fenced,
                 "Invalid coordinator epoch for producerId " + std::to_string(producer_id_.value()) + ": " +
                     std::to_string(coordinator_epoch) + " (zombie), " + std::to_string(updated_.coordinator_epoch()) +
                     " (current)");
  }
  std::optional<completed_txn> done;
  if (auto first = updated_.current_txn_first_offset()) done = completed_txn{producer_id_, *first, offset, abort};
  updated_.end_transaction(epoch, coordinator_epoch, timestamp_ms);
  return done;
}

result<std::optional<completed_txn>> producer_append_info::append(const protocol::batch_view& batch) {
  if (batch.attributes().is_control()) {
    auto records = protocol::batch_records::open(batch, 1u << 20);
    if (!records) return error(errc::invalid_record, "unreadable control batch");
    protocol::record_reader reader = records->reader();
    protocol::record_view rec;
    if (!reader.next(rec)) return std::optional<completed_txn>();  // cleaned away: nothing to do
    auto type = protocol::parse_control_record_type(rec.key);
    if (!type) return error(errc::invalid_record, "unreadable control record");
    if (*type != protocol::control_record_type::abort && *type != protocol::control_record_type::commit) {
      return std::optional<completed_txn>();
    }
    auto marker = protocol::parse_end_txn_marker(rec);
    if (!marker) return error(errc::invalid_record, "unreadable end transaction marker");
    return append_end_txn_marker(marker->type == protocol::control_record_type::abort, marker->coordinator_epoch,
                                 batch.producer_epoch(), batch.base_offset(),
                                 batch.record_timestamp_ms(rec.timestamp_delta));
  }
  const int32_t last_seq = batch.base_sequence() < 0
                               ? -1
                               : increment_sequence(batch.base_sequence(), batch.last_offset_delta());
  if (auto s = append_data_batch(batch.producer_epoch(), batch.base_sequence(), last_seq, batch.max_timestamp_ms(),
                                 batch.base_offset(), batch.last_offset(), batch.attributes().is_transactional());
      !s) {
    return s.error();
  }
  return std::optional<completed_txn>();
}

}  // namespace samsa::storage
