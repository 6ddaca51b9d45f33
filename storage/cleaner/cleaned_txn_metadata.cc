#include "storage/cleaner/cleaned_txn_metadata.h"

#include "protocol/records/batch_records.h"
#include "protocol/records/control_record.h"

namespace samsa::storage {

void cleaned_txn_metadata::add_aborted_transactions(const std::vector<aborted_txn>& txns) {
  for (const aborted_txn& t : txns) aborted_.push(t);
}

void cleaned_txn_metadata::consume_aborted_up_to(int64_t offset) {
  while (!aborted_.empty() && aborted_.top().first_offset.value() <= offset) {
    const aborted_txn t = aborted_.top();
    aborted_.pop();
    ongoing_aborted_.try_emplace(t.producer_id.value(), ongoing_abort{t, std::nullopt});
  }
}

bool cleaned_txn_metadata::on_control_batch_read(const protocol::batch_view& batch) {
  consume_aborted_up_to(batch.last_offset().value());
  auto records = protocol::batch_records::open(batch, 1u << 20);
  if (!records) return false;
  protocol::record_reader reader = records->reader();
  protocol::record_view rec;
  if (!reader.next(rec)) return true;  // an empty control batch was cleaned before
  auto type = protocol::parse_control_record_type(rec.key);
  if (!type) return false;
  const int64_t pid = batch.producer_id().value();
  if (*type == protocol::control_record_type::abort) {
    auto it = ongoing_aborted_.find(pid);
    if (it == ongoing_aborted_.end()) return true;
    const ongoing_abort a = it->second;
    ongoing_aborted_.erase(it);
    if (a.last_observed_batch_offset) {
      // Keep the marker until every batch of the transaction is gone.
      if (out_) out_(a.txn);
      return false;
    }
    return true;
  }
  if (*type == protocol::control_record_type::commit) {
    // Discardable only when no batch of the transaction was seen.
    return ongoing_committed_.erase(pid) == 0;
  }
  return false;
}

bool cleaned_txn_metadata::on_batch_read(const protocol::batch_view& batch) {
  consume_aborted_up_to(batch.last_offset().value());
  if (!batch.attributes().is_transactional()) return false;
  const int64_t pid = batch.producer_id().value();
  auto it = ongoing_aborted_.find(pid);
  if (it != ongoing_aborted_.end()) {
    it->second.last_observed_batch_offset = batch.last_offset().value();
    return true;
  }
  ongoing_committed_.insert(pid);
  return false;
}

}  // namespace samsa::storage
