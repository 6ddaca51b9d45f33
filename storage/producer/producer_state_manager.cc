#include "storage/producer/producer_state_manager.h"

#include <set>

#include "storage/log/file_names.h"
#include "storage/producer/producer_snapshot.h"

namespace samsa::storage {

producer_state_manager::producer_state_manager(io::file_system& fs, std::string dir, int64_t producer_id_expiration_ms)
    : fs_(fs), dir_(std::move(dir)), expiration_ms_(producer_id_expiration_ms) {}

std::string producer_state_manager::snapshot_path(samsa::offset o) const {
  return segment_path(dir_, o, kSnapshotSuffix);
}

status producer_state_manager::load_snapshot_list() {
  auto entries = fs_.list_dir(dir_);
  if (!entries) return entries.error();
  snapshots_.clear();
  for (const io::dir_entry& e : *entries) {
    if (e.is_dir || !ends_with(e.name, kSnapshotSuffix)) continue;
    auto o = offset_from_file_name(e.name);
    if (!o || e.name.size() != 20 + kSnapshotSuffix.size()) continue;
    snapshots_[o->value()] = io::join(dir_, e.name);
  }
  return {};
}

producer_append_info producer_state_manager::prepare_update(samsa::producer_id id, append_origin origin) const {
  const producer_state_entry* e = last_entry(id);
  return producer_append_info(id, e ? *e : producer_state_entry(id), origin);
}

void producer_state_manager::update(const producer_append_info& info) {
  SAMSA_ASSERT(info.producer_id().value() >= 0, "producer state update without a producer id");
  auto it = producers_.find(info.producer_id().value());
  if (it != producers_.end()) {
    it->second.update(info.entry());
  } else {
    producers_.emplace(info.producer_id().value(), info.entry());
  }
  for (samsa::offset first : info.started_transactions()) {
    ongoing_[first.value()] = txn_metadata{info.producer_id(), first, std::nullopt};
  }
}

const producer_state_entry* producer_state_manager::last_entry(samsa::producer_id id) const {
  auto it = producers_.find(id.value());
  return it == producers_.end() ? nullptr : &it->second;
}

samsa::offset producer_state_manager::last_stable_offset(const completed_txn& t) const {
  for (const auto& [first, meta] : ongoing_) {
    if (meta.producer_id != t.producer_id) return meta.first_offset;
  }
  return samsa::offset{t.last_offset.value() + 1};
}

status producer_state_manager::complete_txn(const completed_txn& t) {
  auto it = ongoing_.find(t.first_offset.value());
  if (it == ongoing_.end()) {
    return error(errc::invalid_argument, "completing a transaction at " + std::to_string(t.first_offset.value()) +
                                             " which was not started");
  }
  txn_metadata meta = it->second;
  ongoing_.erase(it);
  meta.last_offset = t.last_offset;
  unreplicated_[t.first_offset.value()] = meta;
  return {};
}

std::optional<samsa::offset> producer_state_manager::first_unstable_offset() const {
  std::optional<samsa::offset> a, b;
  if (!unreplicated_.empty()) a = unreplicated_.begin()->second.first_offset;
  if (!ongoing_.empty()) b = ongoing_.begin()->second.first_offset;
  if (!a) return b;
  if (!b) return a;
  return *b < *a ? b : a;
}

std::optional<samsa::offset> producer_state_manager::first_undecided_offset() const {
  if (ongoing_.empty()) return std::nullopt;
  return ongoing_.begin()->second.first_offset;
}

void producer_state_manager::on_high_watermark_updated(samsa::offset high_watermark) {
  for (auto it = unreplicated_.begin(); it != unreplicated_.end();) {
    if (it->second.last_offset && *it->second.last_offset < high_watermark) {
      it = unreplicated_.erase(it);
    } else {
      ++it;
    }
  }
}

void producer_state_manager::on_log_start_offset_incremented(samsa::offset log_start_offset) {
  on_high_watermark_updated(log_start_offset);  // same rule: drop completed transactions below it
  if (map_end_offset_ < log_start_offset) map_end_offset_ = log_start_offset;
  last_snapshot_offset_ = latest_snapshot_offset().value_or(log_start_offset);
}

bool producer_state_manager::expired(int64_t now_ms, const producer_state_entry& e) const {
  return !e.current_txn_first_offset() && now_ms - e.last_timestamp_ms() >= expiration_ms_;
}

void producer_state_manager::remove_expired_producers(int64_t now_ms) {
  for (auto it = producers_.begin(); it != producers_.end();) {
    if (expired(now_ms, it->second)) {
      it = producers_.erase(it);
    } else {
      ++it;
    }
  }
  // Verifications never followed by an append linger no longer than producers.
  std::erase_if(verification_states_,
                [&](const auto& kv) { return now_ms - kv.second.timestamp_ms >= expiration_ms_; });
}

uint64_t producer_state_manager::maybe_create_verification_guard(samsa::producer_id id, int64_t now_ms) {
  auto [it, fresh] = verification_states_.try_emplace(id.value());
  if (fresh) it->second = {next_verification_guard_++, now_ms};
  return it->second.guard;
}

uint64_t producer_state_manager::verification_guard(samsa::producer_id id) const {
  auto it = verification_states_.find(id.value());
  return it == verification_states_.end() ? 0 : it->second.guard;
}

result<std::optional<std::string>> producer_state_manager::take_snapshot(bool sync) {
  if (map_end_offset_ <= last_snapshot_offset_) return std::optional<std::string>();
  std::vector<producer_state_entry> entries;
  entries.reserve(producers_.size());
  for (const auto& [id, e] : producers_) entries.push_back(e);
  const std::vector<uint8_t> bytes = encode_producer_snapshot(entries);
  const std::string path = snapshot_path(map_end_offset_);
  auto f = fs_.open(path, io::open_mode::create_truncate);
  if (!f) return f.error();
  if (auto s = (*f)->pwrite(0, bytes); !s) return s.error();
  if (sync) {
    if (auto s = (*f)->sync(); !s) return s.error();
  } else {
    unsynced_snapshots_.push_back(path);
  }
  snapshots_[map_end_offset_.value()] = path;
  last_snapshot_offset_ = map_end_offset_;
  return std::optional<std::string>(path);
}

std::vector<std::string> producer_state_manager::take_unsynced_snapshots() {
  std::vector<std::string> out;
  out.swap(unsynced_snapshots_);
  return out;
}

void producer_state_manager::load_entry(const producer_state_entry& e) {
  producers_[e.producer_id().value()] = e;
  if (auto first = e.current_txn_first_offset()) {
    ongoing_[first->value()] = txn_metadata{e.producer_id(), *first, std::nullopt};
  }
}

status producer_state_manager::load_from_snapshot(samsa::offset log_start, int64_t now_ms) {
  while (!snapshots_.empty()) {
    auto last = std::prev(snapshots_.end());
    auto bytes = io::read_file(fs_, last->second);
    if (!bytes && bytes.code() != errc::not_found) return bytes.error();
    if (bytes) {
      auto decoded = decode_producer_snapshot(*bytes);
      if (decoded) {
        for (const producer_state_entry& e : *decoded) {
          if (!expired(now_ms, e)) load_entry(e);
        }
        last_snapshot_offset_ = samsa::offset{last->first};
        map_end_offset_ = last_snapshot_offset_;
        return {};
      }
    }
    // Corrupt or missing: forget it and try the one before (Kafka deletes it).
    if (bytes) (void)fs_.remove(last->second);
    snapshots_.erase(last);
  }
  last_snapshot_offset_ = log_start;
  map_end_offset_ = log_start;
  return {};
}

status producer_state_manager::truncate_and_reload(samsa::offset log_start, samsa::offset log_end, int64_t now_ms) {
  for (auto it = snapshots_.begin(); it != snapshots_.end();) {
    if (it->first > log_end.value() || it->first <= log_start.value()) {
      if (auto s = fs_.remove(it->second); !s && s.code() != errc::not_found) return s;
      it = snapshots_.erase(it);
    } else {
      ++it;
    }
  }
  if (log_end != map_end_offset_) {
    producers_.clear();
    ongoing_.clear();
    unreplicated_.clear();
    return load_from_snapshot(log_start, now_ms);
  }
  on_log_start_offset_incremented(log_start);
  return {};
}

status producer_state_manager::truncate_fully_and_start_at(samsa::offset o) {
  producers_.clear();
  ongoing_.clear();
  unreplicated_.clear();
  for (const auto& [off, path] : snapshots_) {
    if (auto s = fs_.remove(path); !s && s.code() != errc::not_found) return s;
  }
  snapshots_.clear();
  last_snapshot_offset_ = samsa::offset{0};
  map_end_offset_ = o;
  return {};
}

status producer_state_manager::remove_stray_snapshots(const std::vector<samsa::offset>& segment_bases) {
  if (auto s = load_snapshot_list(); !s) return s;
  std::set<int64_t> bases;
  std::optional<int64_t> max_base;
  for (samsa::offset b : segment_bases) {
    bases.insert(b.value());
    max_base = max_base ? std::max(*max_base, b.value()) : b.value();
  }
  std::optional<int64_t> latest_stray;
  for (auto it = snapshots_.begin(); it != snapshots_.end();) {
    if (bases.count(it->first)) {
      ++it;
      continue;
    }
    if (latest_stray) {
      const std::string& prev = snapshots_.at(*latest_stray);
      if (auto s = fs_.remove(prev); !s && s.code() != errc::not_found) return s;
      snapshots_.erase(*latest_stray);
    }
    latest_stray = it->first;
    ++it;
  }
  if (latest_stray && max_base && *latest_stray < *max_base) {
    if (auto s = fs_.remove(snapshots_.at(*latest_stray)); !s && s.code() != errc::not_found) return s;
    snapshots_.erase(*latest_stray);
  }
  return {};
}

status producer_state_manager::delete_snapshots_before(samsa::offset o) {
  for (auto it = snapshots_.begin(); it != snapshots_.end() && it->first < o.value();) {
    if (auto s = fs_.remove(it->second); !s && s.code() != errc::not_found) return s;
    it = snapshots_.erase(it);
  }
  return {};
}

status producer_state_manager::delete_snapshot(samsa::offset o) {
  auto it = snapshots_.find(o.value());
  if (it == snapshots_.end()) return {};
  if (auto s = fs_.remove(it->second); !s && s.code() != errc::not_found) return s;
  snapshots_.erase(it);
  return {};
}

std::optional<samsa::offset> producer_state_manager::latest_snapshot_offset() const {
  if (snapshots_.empty()) return std::nullopt;
  return samsa::offset{snapshots_.rbegin()->first};
}

std::optional<samsa::offset> producer_state_manager::oldest_snapshot_offset() const {
  if (snapshots_.empty()) return std::nullopt;
  return samsa::offset{snapshots_.begin()->first};
}

std::vector<samsa::offset> producer_state_manager::snapshot_offsets() const {
  std::vector<samsa::offset> out;
  for (const auto& [o, p] : snapshots_) out.push_back(samsa::offset{o});
  return out;
}

}  // namespace samsa::storage
