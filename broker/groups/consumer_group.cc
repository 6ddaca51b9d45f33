// Kafka's ConsumerGroup rules on one group (state, partition epochs, offset
// validation).
#include "broker/groups/consumer_group.h"

#include <algorithm>

#include "common/assert.h"

namespace samsa::broker::groups {

using protocol::error_code;

std::string_view consumer_state_name(consumer_group_state s) {
  switch (s) {
    case consumer_group_state::empty: return "Empty";
    case consumer_group_state::assigning: return "Assigning";
    case consumer_group_state::reconciling: return "Reconciling";
    case consumer_group_state::stable: return "Stable";
    case consumer_group_state::dead: return "Dead";
  }
  return "Unknown";
}

consumer_group_state consumer_group::state() const {
  if (members.empty()) return consumer_group_state::empty;
  if (group_epoch > assignment_epoch) return consumer_group_state::assigning;
  for (const auto& [id, m] : members)
    if (m.member_epoch != assignment_epoch || m.state != member_state::stable) return consumer_group_state::reconciling;
  return consumer_group_state::stable;
}

int32_t consumer_group::current_partition_epoch(const uuid& topic, int32_t partition) const {
  auto it = partition_epochs.find({topic, partition});
  return it == partition_epochs.end() ? -1 : it->second;
}

namespace {

void remove_epochs(std::map<std::pair<uuid, int32_t>, int32_t>& epochs, const topic_assignment& a) {
  for (const auto& [t, ps] : a)
    for (int32_t p : ps) epochs.erase({t, p});
}

void add_epochs(std::map<std::pair<uuid, int32_t>, int32_t>& epochs, const topic_assignment& a, int32_t epoch) {
  for (const auto& [t, ps] : a)
    for (int32_t p : ps) epochs[{t, p}] = epoch;  // Invariant 1: the previous owner released it
}

}  // namespace

void consumer_group::set_member_assignment(consumer_member& m, const consumer_member& next) {
  remove_epochs(partition_epochs, m.assigned_partitions);
  remove_epochs(partition_epochs, m.partitions_pending_revocation);
  m.member_epoch = next.member_epoch;
  m.previous_member_epoch = next.previous_member_epoch;
  m.state = next.state;
  m.assigned_partitions = next.assigned_partitions;
  m.partitions_pending_revocation = next.partitions_pending_revocation;
  add_epochs(partition_epochs, m.assigned_partitions, m.member_epoch);
  add_epochs(partition_epochs, m.partitions_pending_revocation, m.member_epoch);
}

void consumer_group::put_member(consumer_member m) {
  auto it = members.find(m.member_id);
  if (it != members.end()) {
    remove_epochs(partition_epochs, it->second.assigned_partitions);
    remove_epochs(partition_epochs, it->second.partitions_pending_revocation);
    if (it->second.instance_id) static_members.erase(*it->second.instance_id);
  }
  add_epochs(partition_epochs, m.assigned_partitions, m.member_epoch);
  add_epochs(partition_epochs, m.partitions_pending_revocation, m.member_epoch);
  if (m.instance_id) static_members[*m.instance_id] = m.member_id;
  const std::string id = m.member_id;
  members.insert_or_assign(id, std::move(m));
}

void consumer_group::remove_member(const std::string& member_id) {
  auto it = members.find(member_id);
  if (it == members.end()) return;
  remove_epochs(partition_epochs, it->second.assigned_partitions);
  remove_epochs(partition_epochs, it->second.partitions_pending_revocation);
  if (it->second.instance_id) {
    auto s = static_members.find(*it->second.instance_id);
    if (s != static_members.end() && s->second == member_id) static_members.erase(s);
  }
  members.erase(it);
}

const consumer_member* consumer_group::static_member(const std::string& instance_id) const {
  auto it = static_members.find(instance_id);
  if (it == static_members.end()) return nullptr;
  auto m = members.find(it->second);
  return m == members.end() ? nullptr : &m->second;
}

std::map<std::string, int32_t> consumer_group::subscribed_topic_names(const consumer_member* replaced,
                                                                      const consumer_member* updated) const {
  std::map<std::string, int32_t> out;
  for (const auto& [id, m] : members) {
    if (replaced && id == replaced->member_id) continue;
    for (const auto& t : m.subscribed_topic_names) ++out[t];
  }
  if (updated)
    for (const auto& t : updated->subscribed_topic_names) ++out[t];
  // Each subscribed regular expression counts its resolved topics once (Kafka's SubscriptionCount.regexCount).
  for (const auto& [regex, n] : subscribed_regexes(replaced, updated))
    if (auto it = resolved_regexes.find(regex); it != resolved_regexes.end())
      for (const auto& t : it->second.topics) ++out[t];
  return out;
}

std::map<std::string, int32_t> consumer_group::subscribed_regexes(const consumer_member* replaced,
                                                                  const consumer_member* updated) const {
  std::map<std::string, int32_t> out;
  for (const auto& [id, m] : members) {
    if (replaced && id == replaced->member_id) continue;
    if (has_regex(m.subscribed_topic_regex)) ++out[*m.subscribed_topic_regex];
  }
  if (updated && has_regex(updated->subscribed_topic_regex)) ++out[*updated->subscribed_topic_regex];
  return out;
}

int32_t consumer_group::num_subscribed_members(const std::string& regex) const {
  int32_t n = 0;
  for (const auto& [id, m] : members)
    if (m.subscribed_topic_regex && *m.subscribed_topic_regex == regex) ++n;
  return n;
}

int64_t consumer_group::last_regex_refresh_ms() const {
  int64_t out = 0;
  for (const auto& [regex, r] : resolved_regexes) out = std::max(out, r.timestamp_ms);
  return out;
}

int64_t consumer_group::last_regex_version() const {
  int64_t out = -1;
  for (const auto& [regex, r] : resolved_regexes) out = std::max(out, r.version);
  return out;
}

std::set<std::string> consumer_group::member_topics(const consumer_member& m) const {
  std::set<std::string> out(m.subscribed_topic_names.begin(), m.subscribed_topic_names.end());
  if (has_regex(m.subscribed_topic_regex))
    if (auto it = resolved_regexes.find(*m.subscribed_topic_regex); it != resolved_regexes.end())
      out.insert(it->second.topics.begin(), it->second.topics.end());
  return out;
}

bool consumer_group::all_members_use_classic_protocol_except(const std::string& member_id) const {
  for (const auto& [id, m] : members)
    if (id != member_id && !m.uses_classic_protocol()) return false;
  return true;
}

bool consumer_group::supports_classic_protocols(const std::string& protocol_type,
                                                const std::set<std::string>& names) const {
  if (protocol_type != "consumer" || names.empty()) return false;
  for (const auto& name : names) {
    bool all = true;
    for (const auto& [id, m] : members) {
      if (!m.classic) continue;
      bool has = false;
      for (const auto& p : m.classic->supported_protocols) has = has || p.name == name;
      all = all && has;
    }
    if (all) return true;
  }
  return false;
}

bool consumer_group::is_subscribed_to_topic(const std::string& topic) const {
  return subscribed_topic_names(nullptr, nullptr).contains(topic);
}

error_code consumer_group::validate_offset_commit(const std::string& member_id, int32_t member_epoch,
                                                  int16_t api_version) const {
  // An admin client (or a simple consumer) commits without an epoch to an empty group.
  if (member_epoch < 0 && members.empty()) return error_code::none;
  auto it = members.find(member_id);
  if (it == members.end()) return error_code::unknown_member_id;
  const bool classic = it->second.uses_classic_protocol();
  // Members of the consumer protocol commit with OffsetCommit v9+; classic
  // members (online migration) with any version, their generation as epoch.
  if (!classic && api_version < 9) return error_code::unsupported_version;
  if (member_epoch != it->second.member_epoch)
    return classic ? error_code::illegal_generation : error_code::stale_member_epoch;
  return error_code::none;
}

error_code consumer_group::validate_offset_fetch(const std::optional<std::string>& member_id,
                                                 int32_t member_epoch) const {
  // No member id and no epoch: an admin client, or a client that does not send them.
  if (!member_id && member_epoch < 0) return error_code::none;
  auto it = member_id ? members.find(*member_id) : members.end();
  if (it == members.end()) return error_code::unknown_member_id;
  if (member_epoch != it->second.member_epoch)
    return it->second.uses_classic_protocol() ? error_code::illegal_generation : error_code::stale_member_epoch;
  return error_code::none;
}

}  // namespace samsa::broker::groups
