// The uniform and range server-side assignors (see assignors.h).
#include "broker/groups/assignors.h"

#include <algorithm>

namespace samsa::broker::groups {
namespace {

using tp = std::pair<uuid, int32_t>;

size_t count(const topic_assignment& a) {
  size_t n = 0;
  for (const auto& [t, ps] : a) n += ps.size();
  return n;
}

}  // namespace

assignment_output assign_uniform(const assignment_input& in) {
  assignment_output out;
  for (const auto& [id, m] : in.members) out[id];
  if (in.members.empty()) return out;
  // Each partition's candidates: the members subscribed to its topic.
  std::map<uuid, std::vector<std::string>> subscribers;
  for (const auto& [id, m] : in.members)
    for (const uuid& t : m.subscribed_topic_ids)
      if (in.topic_partitions.contains(t)) subscribers[t].push_back(id);
  // Quota per member: its fair share of the partitions it can take. With
  // identical subscriptions this is floor(P/M) or ceil(P/M); otherwise it is
  // the share of each of its topics, summed and rounded up.
  std::map<std::string, double> share;
  for (const auto& [t, subs] : subscribers) {
    const double each = static_cast<double>(in.topic_partitions.at(t)) / static_cast<double>(subs.size());
    for (const auto& id : subs) share[id] += each;
  }
  std::map<std::string, size_t> quota;
  size_t total = 0;
  for (const auto& [t, subs] : subscribers) total += static_cast<size_t>(in.topic_partitions.at(t));
  for (const auto& [id, s] : share) quota[id] = static_cast<size_t>(s);  // floor
  // Members allowed one more than the floor: as many as the remainder.
  size_t floor_sum = 0;
  for (const auto& [id, q] : quota) floor_sum += q;
  size_t extra = total > floor_sum ? total - floor_sum : 0;
  std::set<tp> taken;
  // 1. Sticky: keep previous target partitions still valid, up to the quota
  //    (+1 while extra slots remain).
  for (const auto& [id, m] : in.members) {
    auto& mine = out[id];
    size_t kept = 0;
    const size_t q = quota[id];
    for (const auto& [t, ps] : m.current_target) {
      auto n = in.topic_partitions.find(t);
      if (n == in.topic_partitions.end() || !m.subscribed_topic_ids.contains(t)) continue;
      for (int32_t p : ps) {
        if (p >= n->second || taken.contains({t, p})) continue;
        if (kept >= q) {
          if (kept == q && extra > 0 && share[id] > static_cast<double>(q)) {
            --extra;
          } else {
            continue;
          }
        }
        mine[t].insert(p);
        taken.insert({t, p});
        ++kept;
      }
    }
  }
  // 2. The rest, each to the subscribed member holding the fewest partitions
  //    (ties: the member id order).
  for (const auto& [t, subs] : subscribers) {
    const int32_t n = in.topic_partitions.at(t);
    for (int32_t p = 0; p < n; ++p) {
      if (taken.contains({t, p})) continue;
      const std::string* best = nullptr;
      size_t best_count = SIZE_MAX;
      for (const auto& id : subs) {
        const size_t c = count(out[id]);
        if (c < best_count) {
          best = &id;
          best_count = c;
        }
      }
      out[*best][t].insert(p);
      taken.insert({t, p});
    }
  }
  // 3. Balance: move partitions from the most to the least loaded member
  //    while that narrows the gap (only between members subscribed to the
  //    topic moved). Bounded by the number of partitions.
  for (size_t round = 0; round < total; ++round) {
    bool moved = false;
    for (const auto& [t, subs] : subscribers) {
      const std::string *hi = nullptr, *lo = nullptr;
      for (const auto& id : subs) {
        if (!hi || count(out[id]) > count(out[*hi])) hi = &id;
        if (!lo || count(out[id]) < count(out[*lo])) lo = &id;
      }
      if (count(out[*hi]) <= count(out[*lo]) + 1) continue;
      auto it = out[*hi].find(t);
      if (it == out[*hi].end() || it->second.empty()) continue;
      const int32_t p = *it->second.rbegin();
      it->second.erase(p);
      if (it->second.empty()) out[*hi].erase(it);
      out[*lo][t].insert(p);
      moved = true;
    }
    if (!moved) break;
  }
  return out;
}

assignment_output assign_range(const assignment_input& in) {
  assignment_output out;
  for (const auto& [id, m] : in.members) out[id];
  for (const auto& [t, n] : in.topic_partitions) {
    std::vector<std::string> subs;  // sorted: in.members is ordered by id
    for (const auto& [id, m] : in.members)
      if (m.subscribed_topic_ids.contains(t)) subs.push_back(id);
    if (subs.empty()) continue;
    const int32_t per = n / static_cast<int32_t>(subs.size());
    const int32_t extra = n % static_cast<int32_t>(subs.size());
    int32_t next = 0;
    for (int32_t i = 0; i < static_cast<int32_t>(subs.size()); ++i) {
      const int32_t len = per + (i < extra ? 1 : 0);
      for (int32_t p = next; p < next + len; ++p) out[subs[static_cast<size_t>(i)]][t].insert(p);
      next += len;
    }
  }
  return out;
}

std::optional<std::string> assignor_short_name(std::string_view configured) {
  if (configured == "uniform" || configured == "org.apache.kafka.coordinator.group.assignor.UniformAssignor")
    return "uniform";
  if (configured == "range" || configured == "org.apache.kafka.coordinator.group.assignor.RangeAssignor")
    return "range";
  return std::nullopt;
}

assignment_output run_assignor(std::string_view short_name, const assignment_input& in) {
  return short_name == "range" ? assign_range(in) : assign_uniform(in);
}

}  // namespace samsa::broker::groups
