#include "broker/test/txn_checker_history.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

namespace samsa::broker::testing::txn {

const char* outcome_name(outcome o) {
  switch (o) {
    case outcome::committed: return "committed";
    case outcome::aborted: return "aborted";
    case outcome::unknown: return "unknown";
  }
  return "?";
}

std::string value_of(const record_id& r) {
  return "p" + std::to_string(r.producer) + ":t" + std::to_string(r.txn) + ":i" + std::to_string(r.index) + ":n" +
         std::to_string(r.count) + ":" + r.topic + "/" + std::to_string(r.partition);
}

std::optional<record_id> parse_value(const std::string& value) {
  record_id r;
  long long txn = 0;
  int consumed = 0;
  if (std::sscanf(value.c_str(), "p%d:t%lld:i%d:n%d:%n", &r.producer, &txn, &r.index, &r.count, &consumed) != 4 ||
      consumed == 0)
    return std::nullopt;
  r.txn = txn;
  const std::string rest = value.substr(static_cast<size_t>(consumed));
  const size_t slash = rest.rfind('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size()) return std::nullopt;
  r.topic = rest.substr(0, slash);
  try {
    size_t used = 0;
    r.partition = std::stoi(rest.substr(slash + 1), &used);
    if (used != rest.size() - slash - 1) return std::nullopt;
  } catch (...) {
    return std::nullopt;
  }
  if (r.index < 0 || r.count <= 0 || r.index >= r.count) return std::nullopt;
  return r;
}

int64_t add_producer_log(history& h, int producer, const std::string& log, int64_t first_txn) {
  int64_t next = first_txn;
  std::istringstream in(log);
  std::string line;
  // Only complete lines count: a process killed mid-write leaves a partial last line.
  const bool last_complete = !log.empty() && log.back() == '\n';
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  if (!last_complete && !lines.empty()) lines.pop_back();
  for (const std::string& l : lines) {
    std::istringstream words(l);
    std::string what;
    long long t = -1;
    int count = 0;
    words >> what >> t;
    static const std::set<std::string> steps = {"BEGIN", "COMMITTING", "ABORTING", "COMMITTED", "ABORTED"};
    if (t < 0 || !steps.contains(what)) continue;  // INIT, ERROR, DONE, FATAL: no outcome
    txn_outcome& o = h[{producer, t}];
    if (what == "BEGIN") {
      o = {outcome::aborted, 0};
      next = std::max<int64_t>(next, t + 1);
    } else if (what == "COMMITTING") {
      words >> count;
      o = {outcome::unknown, count};
    } else if (what == "ABORTING") {
      // An abort after a failed commit leaves the commit's fate open until ABORTED.
      words >> count;
      o.count = count;
      if (o.result != outcome::unknown) o.result = outcome::aborted;
    } else if (what == "COMMITTED") {
      o.result = outcome::committed;
    } else if (what == "ABORTED") {
      o.result = outcome::aborted;
    }
  }
  return next;
}

std::string check_result::summary() const {
  std::ostringstream s;
  s << records_read << " records read; transactions: " << committed << " committed, " << aborted << " aborted, "
    << unknown << " unknown (" << unknown_visible << " of them visible); " << violations.size() << " violations";
  return s.str();
}

namespace {

struct record_key {
  int producer;
  int64_t txn;
  int index;
  auto operator<=>(const record_key&) const = default;
};

std::string where(const partition_key& p, int64_t offset) {
  return p.first + "/" + std::to_string(p.second) + "@" + std::to_string(offset);
}

}  // namespace

check_result check(const history& h, const reading& r) {
  check_result out;
  auto violation = [&](std::string s) { out.violations.push_back(std::move(s)); };
  std::set<record_key> seen;
  std::map<txn_id, int> read_per_txn;

  for (const auto& [part, records] : r) {
    int64_t last_offset = -1;
    std::map<int, std::pair<int64_t, int>> last_of_producer;  // producer -> (txn, index)
    for (const read_record& rec : records) {
      ++out.records_read;
      const std::string at = where(part, rec.offset);
      if (rec.offset <= last_offset)
        violation(at + ": offset not above the previous record's " + std::to_string(last_offset));
      last_offset = std::max(last_offset, rec.offset);
      const auto id = parse_value(rec.value);
      if (!id) {
        violation(at + ": unparseable record '" + rec.value.substr(0, 80) + "'");
        continue;
      }
      if (id->topic != part.first || id->partition != part.second)
        violation(at + ": record " + rec.value + " was sent to another partition");
      const txn_id t{id->producer, id->txn};
      const auto it = h.find(t);
      const std::string name = "p" + std::to_string(t.producer) + " txn " + std::to_string(t.txn);
      if (it == h.end()) {
        violation(at + ": record " + rec.value + " of a transaction no producer began");
        continue;
      }
      if (it->second.result == outcome::aborted) violation(at + ": record " + rec.value + " of ABORTED " + name);
      if (it->second.count != 0 && it->second.count != id->count)
        violation(at + ": record " + rec.value + " says " + std::to_string(id->count) + " records, the producer " +
                  std::to_string(it->second.count));
      if (!seen.insert({id->producer, id->txn, id->index}).second) {
        violation(at + ": record " + rec.value + " read twice");
        continue;
      }
      ++read_per_txn[t];
      auto [last, had] = last_of_producer.try_emplace(id->producer, id->txn, id->index);
      if (!had && std::make_pair(id->txn, id->index) <= last->second)
        violation(at + ": record " + rec.value + " after p" + std::to_string(id->producer) + " txn " +
                  std::to_string(last->second.first) + " record " + std::to_string(last->second.second) +
                  " (out of order)");
      if (!had) last->second = {id->txn, id->index};
    }
  }

  for (const auto& [t, o] : h) {
    const int got = read_per_txn.contains(t) ? read_per_txn[t] : 0;
    const std::string name = "p" + std::to_string(t.producer) + " txn " + std::to_string(t.txn);
    switch (o.result) {
      case outcome::committed:
        ++out.committed;
        if (got != o.count)
          violation(name + " COMMITTED with " + std::to_string(o.count) + " records, " + std::to_string(got) +
                    " read (not atomic / lost)");
        break;
      case outcome::aborted:
        ++out.aborted;
        break;
      case outcome::unknown:
        ++out.unknown;
        if (got == o.count) ++out.unknown_visible;
        if (got != 0 && got != o.count)
          violation(name + " (outcome unknown to the client) partially visible: " + std::to_string(got) + " of " +
                    std::to_string(o.count) + " records");
        break;
    }
  }
  return out;
}

}  // namespace samsa::broker::testing::txn
