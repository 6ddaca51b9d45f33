// partition_log reads: Fetch (Kafka's LocalLog.read) and ListOffsets.

#include "storage/log/partition_log.h"

#include <algorithm>

#include "storage/segment/file_slice_source.h"

namespace samsa::storage {

result<std::shared_ptr<segment>> partition_log::floor_segment(samsa::offset o) const {
  auto it = segments_.upper_bound(o.value());
  if (it == segments_.begin()) return error(errc::offset_out_of_range, "no segment holds " + std::to_string(o.value()));
  return std::prev(it)->second;
}

result<partition_log::position_metadata> partition_log::position_of(samsa::offset o) const {
  const samsa::offset leo = log_end_offset();
  if (o >= leo) return position_metadata{leo, active()->base_offset(), active()->size_bytes()};
  auto it = segments_.upper_bound(o.value());
  if (it == segments_.begin()) it = segments_.begin();
  else --it;
  for (; it != segments_.end(); ++it) {
    auto t = it->second->translate_offset(o);
    if (!t) return t.error();
    if (*t) return position_metadata{o, it->second->base_offset(), (*t)->position};
    // Nothing at or after o here: o starts the next segment (or is the log end).
  }
  return position_metadata{leo, active()->base_offset(), active()->size_bytes()};
}

result<fetch_result> partition_log::read(samsa::offset start, int64_t max_bytes, fetch_isolation isolation,
                                         bool min_one_message) {
  std::lock_guard<std::mutex> g(mu_);
  if (closed_) return error(errc::log_closed, "log closed");
  fetch_result out;
  out.fetch_offset = start;
  out.high_watermark = high_watermark();
  out.last_stable_offset = last_stable_offset();
  out.log_start_offset = log_start_offset();
  out.log_end_offset = log_end_offset();
  if (isolation == fetch_isolation::txn_committed) out.aborted_transactions.emplace();
  if (start < log_start_offset() || start > log_end_offset()) {
    return error(errc::offset_out_of_range, "Received request for offset " + std::to_string(start.value()) +
                                                ", but the log holds [" + std::to_string(log_start_offset().value()) +
                                                ", " + std::to_string(log_end_offset().value()) + ")");
  }
  samsa::offset max_offset = log_end_offset();
  if (isolation == fetch_isolation::high_watermark) max_offset = high_watermark();
  if (isolation == fetch_isolation::txn_committed) max_offset = last_stable_offset();
  if (start >= max_offset) return out;
  auto limit = position_of(max_offset);
  if (!limit) return limit.error();

  auto it = segments_.upper_bound(start.value());
  if (it == segments_.begin()) return error(errc::offset_out_of_range, "no segment at " + std::to_string(start.value()));
  --it;
  for (; it != segments_.end(); ++it) {
    const std::shared_ptr<segment>& seg = it->second;
    std::optional<uint64_t> max_position;
    if (seg->base_offset() < limit->segment_base) max_position = seg->size_bytes();
    else if (seg->base_offset() == limit->segment_base) max_position = limit->position;
    auto r = seg->read(start, max_bytes, max_position, min_one_message);
    if (!r) return r.error();
    if (!*r) continue;  // no batch at or after start in this segment
    out.first_entry_incomplete = (*r)->first_entry_incomplete;
    if ((*r)->length > 0) {
      auto f = seg->log_file();
      if (!f) return f.error();
      // Start reading this range and the next one (a consumer usually continues
      // where this fetch ends): the disk works while the bytes are sent.
      const uint64_t ahead = std::min<uint64_t>((*r)->length * 2, seg->size_bytes() - (*r)->start_position);
      (*f)->will_need((*r)->start_position, ahead);
      out.records = std::make_shared<file_slice_source>(*f, (*r)->start_position, (*r)->length);
      out.size_bytes = (*r)->length;
    }
    if (isolation == fetch_isolation::txn_committed) {
      // Kafka's addAbortedTransactions: the upper bound is the first indexed
      // offset past the fetched range, else the next segment's base or the end.
      std::optional<samsa::offset> upper = seg->fetch_upper_bound_offset((*r)->start_position + (*r)->length);
      if (!upper) {
        auto next = std::next(it);
        upper = next != segments_.end() ? next->second->base_offset() : log_end_offset();
      }
      for (auto s = it; s != segments_.end(); ++s) {
        txn_search_result found = s->second->collect_aborted_txns(start, *upper);
        out.aborted_transactions->insert(out.aborted_transactions->end(), found.aborted.begin(), found.aborted.end());
        if (found.complete) break;
      }
    }
    return out;
  }
  return out;
}

result<std::vector<aborted_txn>> partition_log::collect_aborted_transactions(samsa::offset start, samsa::offset upper) {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<aborted_txn> out;
  auto it = segments_.upper_bound(start.value());
  if (it != segments_.begin()) --it;
  for (; it != segments_.end(); ++it) {
    txn_search_result found = it->second->collect_aborted_txns(start, upper);
    out.insert(out.end(), found.aborted.begin(), found.aborted.end());
    if (found.complete) break;
  }
  return out;
}

result<std::optional<timestamp_and_offset>> partition_log::fetch_offset_by_timestamp(int64_t timestamp_ms) {
  std::lock_guard<std::mutex> g(mu_);
  if (closed_) return error(errc::log_closed, "log closed");
  using out_t = std::optional<timestamp_and_offset>;
  if (timestamp_ms == kEarliestTimestamp || timestamp_ms == kEarliestLocalTimestamp) {
    // The earliest cached epoch, if it starts at or below the log start offset.
    std::optional<samsa::leader_epoch> epoch;
    if (auto e = epochs_.earliest_entry(); e && e->start_offset <= log_start_offset()) epoch = e->epoch;
    if (timestamp_ms == kEarliestLocalTimestamp) epoch = epochs_.epoch_for_offset(log_start_offset());
    return out_t(timestamp_and_offset{-1, log_start_offset(), epoch});
  }
  if (timestamp_ms == kLatestTimestamp) return out_t(timestamp_and_offset{-1, log_end_offset(), epochs_.latest_epoch()});
  if (timestamp_ms == kLatestTieredTimestamp) {
    // No tiered storage: Kafka answers offset -1 with epoch -1.
    return out_t(timestamp_and_offset{-1, samsa::offset{-1}, samsa::leader_epoch{-1}});
  }
  if (timestamp_ms == kMaxTimestamp) {
    std::shared_ptr<segment> best;
    for (const auto& [b, s] : segments_) {
      if (!best || s->max_timestamp_so_far() > best->max_timestamp_so_far()) best = s;
    }
    return best->find_max_timestamp_record();
  }
  // The first segment whose largest timestamp reaches the target.
  for (const auto& [b, s] : segments_) {
    if (s->largest_timestamp() >= timestamp_ms) return s->find_offset_by_timestamp(timestamp_ms, log_start_offset());
  }
  return out_t();
}

}  // namespace samsa::storage
