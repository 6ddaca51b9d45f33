#pragma once

// The consumer processes of the group membership test: each is a
// group_member child process (group_member_main.cc) whose stdout is read back
// as what it was assigned, processed and committed. Parsing is separate from
// the process so a half-written last line is simply not yet an event.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "broker/test/process.h"

namespace samsa::broker::testing {

// What one member printed so far.
struct member_events {
  std::optional<std::set<int32_t>> assignment;       // the latest one, if any
  std::vector<std::pair<int32_t, int64_t>> records;  // (partition, offset) in processing order
  std::map<int32_t, int64_t> committed;              // partition -> highest acknowledged next offset
  std::vector<std::string> commit_failures;
  bool closed = false;
};

// Parses group_member's stdout; only complete lines count.
inline member_events parse_member_output(const std::string& text) {
  member_events ev;
  std::istringstream in(text.substr(0, text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string kind;
    words >> kind;
    if (kind == "assignment") {
      std::set<int32_t> parts;
      std::string list;
      words >> list;
      std::istringstream items(list);
      std::string item;
      while (std::getline(items, item, ','))
        if (!item.empty()) parts.insert(std::stoi(item));
      ev.assignment = std::move(parts);
    } else if (kind == "record") {
      int32_t p;
      int64_t o;
      if (words >> p >> o) ev.records.emplace_back(p, o);
    } else if (kind == "committed") {
      int32_t p;
      int64_t next;
      if (words >> p >> next) ev.committed[p] = std::max(ev.committed[p], next);
    } else if (kind == "commit_failed") {
      ev.commit_failures.push_back(line);
    } else if (kind == "closed") {
      ev.closed = true;
    }
  }
  return ev;
}

// librdkafka before 2.10 (confluentinc/librdkafka#4059, fixed by #4908) treats an
// OffsetCommit answered ILLEGAL_GENERATION during a rebalance as a lost
// assignment: it drops its partitions and rejoins, and whoever gets them next
// (often the same member) starts again from the last acknowledged commit. True
// if that explains a second processing of (partition, offset) first processed
// by the member that printed `output`: its commit right after the record failed
// with ILLEGAL_GENERATION and no commit past the record was acknowledged before
// its assignment next changed.
inline bool redelivered_after_client_lost_assignment(const std::string& output, int32_t partition, int64_t offset) {
  std::istringstream in(output);
  std::string line;
  const std::string record = "record " + std::to_string(partition) + " " + std::to_string(offset);
  const std::string failure =
      "commit_failed " + std::to_string(partition) + " " + std::to_string(offset + 1) + " ILLEGAL_GENERATION";
  const std::string committed = "committed " + std::to_string(partition) + " ";
  bool processed = false, failed = false;
  while (std::getline(in, line)) {
    if (!processed) {
      processed = line == record;
      continue;
    }
    if (line == failure) failed = true;
    if (line.starts_with(committed) && std::stoll(line.substr(committed.size())) > offset) return false;
    if (line.starts_with("assignment")) return failed;
  }
  return false;
}

// One group_member process.
class member_process {
 public:
  member_process(const std::string& name, const std::vector<std::string>& argv, const std::filesystem::path& dir)
      : name_(name), process_(std::make_unique<child_process>(argv, dir / (name + ".out"))) {}

  const std::string& name() const { return name_; }
  child_process& process() { return *process_; }
  member_events events() const { return parse_member_output(process_->output()); }

 private:
  std::string name_;
  std::unique_ptr<child_process> process_;
};

// Checks that the latest assignments of `members` give every partition in
// [0, partitions) exactly one owner and every member at least one partition;
// explains the first violation in `why`.
inline bool one_owner_each(const std::vector<member_process*>& members, int32_t partitions, std::string& why) {
  std::map<int32_t, std::string> owner;
  for (auto* m : members) {
    auto ev = m->events();
    if (!ev.assignment) {
      why = m->name() + " has no assignment yet";
      return false;
    }
    if (ev.assignment->empty()) {
      why = m->name() + " owns nothing";
      return false;
    }
    for (int32_t p : *ev.assignment) {
      if (owner.contains(p)) {
        why = "partition " + std::to_string(p) + " owned by " + owner[p] + " and " + m->name();
        return false;
      }
      owner[p] = m->name();
    }
  }
  for (int32_t p = 0; p < partitions; ++p)
    if (!owner.contains(p)) {
      why = "partition " + std::to_string(p) + " has no owner";
      return false;
    }
  if (static_cast<int32_t>(owner.size()) != partitions) {
    why = "a partition outside [0, " + std::to_string(partitions) + ") is owned";
    return false;
  }
  why.clear();
  return true;
}

}  // namespace samsa::broker::testing
