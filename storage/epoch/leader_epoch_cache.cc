#include "storage/epoch/leader_epoch_cache.h"

namespace samsa::storage {

bool leader_epoch_cache::assign(samsa::leader_epoch epoch, samsa::offset start_offset) {
  if (epoch.value() < 0 || start_offset.value() < 0) return false;
  if (!epochs_.empty()) {
    const epoch_entry& latest = epochs_.rbegin()->second;
    if (latest.epoch == epoch && start_offset >= latest.start_offset) return false;
  }
  // Remove entries that would no longer increase after the new one.
  while (!epochs_.empty()) {
    const epoch_entry& last = epochs_.rbegin()->second;
    if (last.epoch >= epoch || last.start_offset >= start_offset) {
      epochs_.erase(std::prev(epochs_.end()));
    } else {
      break;
    }
  }
  epochs_[epoch.value()] = {epoch, start_offset};
  dirty_ = true;
  return true;
}

std::optional<epoch_entry> leader_epoch_cache::latest_entry() const {
  if (epochs_.empty()) return std::nullopt;
  return epochs_.rbegin()->second;
}

std::optional<samsa::leader_epoch> leader_epoch_cache::latest_epoch() const {
  if (epochs_.empty()) return std::nullopt;
  return epochs_.rbegin()->second.epoch;
}

std::optional<epoch_entry> leader_epoch_cache::earliest_entry() const {
  if (epochs_.empty()) return std::nullopt;
  return epochs_.begin()->second;
}

std::optional<samsa::leader_epoch> leader_epoch_cache::previous_epoch(samsa::leader_epoch epoch) const {
  auto it = epochs_.lower_bound(epoch.value());
  if (it == epochs_.begin()) return std::nullopt;
  return std::prev(it)->second.epoch;
}

std::optional<samsa::leader_epoch> leader_epoch_cache::next_epoch(samsa::leader_epoch epoch) const {
  auto it = epochs_.upper_bound(epoch.value());
  if (it == epochs_.end()) return std::nullopt;
  return it->second.epoch;
}

std::optional<samsa::leader_epoch> leader_epoch_cache::epoch_for_offset(samsa::offset o) const {
  std::optional<samsa::leader_epoch> previous;
  for (const auto& [e, entry] : epochs_) {
    if (entry.start_offset == o) return entry.epoch;
    if (entry.start_offset > o) return previous;
    previous = entry.epoch;
  }
  return previous;
}

epoch_end_offset leader_epoch_cache::end_offset_for(samsa::leader_epoch requested, samsa::offset log_end_offset) const {
  if (requested.value() == -1) return {};
  if (auto latest = latest_epoch(); latest && *latest == requested) return {requested, log_end_offset};
  auto higher = epochs_.upper_bound(requested.value());
  if (higher == epochs_.end()) return {};
  if (higher == epochs_.begin()) return {requested, higher->second.start_offset};
  return {std::prev(higher)->second.epoch, higher->second.start_offset};
}

bool leader_epoch_cache::truncate_from_end(samsa::offset end_offset) {
  bool changed = false;
  if (end_offset.value() < 0) return false;
  while (!epochs_.empty() && epochs_.rbegin()->second.start_offset >= end_offset) {
    epochs_.erase(std::prev(epochs_.end()));
    changed = true;
  }
  if (changed) dirty_ = true;
  return changed;
}

bool leader_epoch_cache::truncate_from_start(samsa::offset start_offset) {
  std::optional<epoch_entry> last_removed;
  int removed = 0;
  while (!epochs_.empty() && epochs_.begin()->second.start_offset <= start_offset) {
    last_removed = epochs_.begin()->second;
    epochs_.erase(epochs_.begin());
    ++removed;
  }
  if (!last_removed) return false;
  epochs_[last_removed->epoch.value()] = {last_removed->epoch, start_offset};
  // Re-basing the only entry at its own start offset changes nothing.
  const bool changed = removed > 1 || last_removed->start_offset != start_offset;
  if (changed) dirty_ = true;
  return changed;
}

void leader_epoch_cache::clear() {
  if (!epochs_.empty()) dirty_ = true;
  epochs_.clear();
}

std::vector<epoch_entry> leader_epoch_cache::entries() const {
  std::vector<epoch_entry> out;
  out.reserve(epochs_.size());
  for (const auto& [e, entry] : epochs_) out.push_back(entry);
  return out;
}

}  // namespace samsa::storage
