#include "storage/log/producer_state_rebuild.h"

#include <algorithm>
#include <vector>

#include "storage/segment/file_batch_reader.h"

namespace samsa::storage {

status load_producers_from(producer_state_manager& psm, const segment& seg, samsa::offset start,
                           uint64_t max_position) {
  auto from = seg.translate_offset(start);
  if (!from) return from.error();
  if (!*from) return {};
  auto f = seg.log_file();
  if (!f) return f.error();
  std::map<int64_t, producer_append_info> infos;
  std::vector<completed_txn> completed;
  file_batch_reader r(**f, (*from)->position, std::min<uint64_t>(max_position, seg.size_bytes()),
                      batch_read_mode::whole_batches, false, 1 << 20);
  while (r.next()) {
    const protocol::batch_view b = r.view();
    if (b.producer_id().value() < 0) continue;
    auto it = infos.find(b.producer_id().value());
    if (it == infos.end()) {
      it = infos.emplace(b.producer_id().value(), psm.prepare_update(b.producer_id(), append_origin::replication)).first;
    }
    auto res = it->second.append(b);
    if (!res) return res.error();
    if (*res) completed.push_back(**res);
  }
  if (r.stop_reason() == batch_stop::io_error) return *r.io_failure();
  for (auto& [id, info] : infos) psm.update(info);
  for (const completed_txn& c : completed) (void)psm.complete_txn(c);
  return {};
}

status rebuild_producer_state(producer_state_manager& psm, const segment_map& segments, samsa::offset log_start,
                              samsa::offset last_offset, bool reload_from_clean_shutdown, bool sync_snapshots,
                              int64_t now_ms) {
  std::vector<samsa::offset> to_snapshot;
  if (!segments.empty()) {
    auto last = segments.rbegin();
    if (segments.size() > 1) to_snapshot.push_back(std::next(last)->second->base_offset());
    to_snapshot.push_back(last->second->base_offset());
  }
  to_snapshot.push_back(last_offset);
  auto snapshot_at = [&](samsa::offset o) -> status {
    psm.update_map_end_offset(o);
    auto r = psm.take_snapshot(sync_snapshots);
    if (!r) return r.error();
    return {};
  };
  if (!psm.latest_snapshot_offset() && reload_from_clean_shutdown) {
    // A clean shutdown left no snapshot: there was no producer state. Write empty
    // snapshots instead of scanning the log.
    for (samsa::offset o : to_snapshot) {
      if (auto s = snapshot_at(o); !s) return s;
    }
    return {};
  }
  const bool empty_before = psm.empty() && psm.map_end_offset() >= last_offset;
  if (auto s = psm.truncate_and_reload(log_start, last_offset, now_ms); !s) return s;
  if (last_offset > psm.map_end_offset() && !empty_before) {
    std::shared_ptr<segment> last_seg;
    if (auto f = segments.upper_bound(last_offset.value()); f != segments.begin()) last_seg = std::prev(f)->second;
    auto it = segments.upper_bound(psm.map_end_offset().value());
    if (it != segments.begin()) --it;
    for (; it != segments.end() && it->second->base_offset() < last_offset; ++it) {
      const std::shared_ptr<segment>& seg = it->second;
      const samsa::offset start = std::max({seg->base_offset(), psm.map_end_offset(), log_start});
      psm.update_map_end_offset(start);
      if (std::find(to_snapshot.begin(), to_snapshot.end(), seg->base_offset()) != to_snapshot.end()) {
        if (auto r = psm.take_snapshot(sync_snapshots); !r) return r.error();
      }
      uint64_t max_position = seg->size_bytes();
      if (seg == last_seg) {
        auto t = seg->translate_offset(last_offset);
        if (!t) return t.error();
        if (*t) max_position = (*t)->position;
      }
      if (auto s = load_producers_from(psm, *seg, start, max_position); !s) return s;
    }
  }
  return snapshot_at(last_offset);
}

}  // namespace samsa::storage
