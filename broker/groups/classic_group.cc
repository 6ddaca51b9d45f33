#include "broker/groups/classic_group.h"

#include <algorithm>
#include <cctype>

namespace samsa::broker::groups {

using protocol::error_code;

std::string_view state_name(group_state s) {
  switch (s) {
    case group_state::empty: return "Empty";
    case group_state::preparing_rebalance: return "PreparingRebalance";
    case group_state::completing_rebalance: return "CompletingRebalance";
    case group_state::stable: return "Stable";
    case group_state::dead: return "Dead";
  }
  return "Unknown";
}

std::optional<group_state> parse_state(std::string_view name) {
  for (auto s : {group_state::empty, group_state::preparing_rebalance, group_state::completing_rebalance,
                 group_state::stable, group_state::dead}) {
    std::string_view n = state_name(s);
    if (n.size() == name.size() &&
        std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return s;
  }
  return std::nullopt;
}

const std::vector<uint8_t>* classic_member::metadata_for(const std::string& protocol) const {
  for (const auto& p : protocols)
    if (p.name == protocol) return &p.metadata;
  return nullptr;
}

std::string classic_member::vote(const std::set<std::string>& candidates) const {
  for (const auto& p : protocols)
    if (candidates.contains(p.name)) return p.name;
  return {};
}

void classic_group::transition_to(group_state s, int64_t now_ms) {
  previous_state = state;
  state = s;
  state_timestamp_ms = now_ms;
}

bool classic_group::can_rebalance() const {
  return state == group_state::stable || state == group_state::completing_rebalance || state == group_state::empty;
}

void classic_group::add(classic_member m, join_callback join) {
  if (members.empty()) protocol_type = m.protocol_type;
  if (!leader_id) leader_id = m.member_id;
  if (m.group_instance_id) static_members[*m.group_instance_id] = m.member_id;
  pending_join_members.erase(m.member_id);
  auto [it, inserted] = members.emplace(m.member_id, std::move(m));
  (void)inserted;
  it->second.awaiting_join = nullptr;
  set_awaiting_join(it->second, std::move(join));
}

void classic_group::set_awaiting_join(classic_member& m, join_callback join) {
  if (m.is_awaiting_join()) --num_awaiting_join;
  m.awaiting_join = std::move(join);
  if (m.is_awaiting_join()) ++num_awaiting_join;
}

join_callback classic_group::take_awaiting_join(classic_member& m) {
  if (!m.is_awaiting_join()) return nullptr;
  --num_awaiting_join;
  join_callback cb = std::move(m.awaiting_join);
  m.awaiting_join = nullptr;
  return cb;
}

void classic_group::remove(const std::string& id) {
  auto it = members.find(id);
  if (it != members.end()) {
    if (it->second.is_awaiting_join()) --num_awaiting_join;
    if (it->second.group_instance_id) static_members.erase(*it->second.group_instance_id);
    members.erase(it);
  }
  if (is_leader(id)) {
    leader_id.reset();
    if (!members.empty()) leader_id = members.begin()->first;
  }
  pending_join_members.erase(id);
  pending_sync_members.erase(id);
}

error_code classic_group::validate_member(const std::string& member_id,
                                          const std::optional<std::string>& group_instance_id) const {
  if (group_instance_id) {
    auto it = static_members.find(*group_instance_id);
    if (it == static_members.end()) return error_code::unknown_member_id;
    if (it->second != member_id) return error_code::fenced_instance_id;
  }
  if (!has_member(member_id)) return error_code::unknown_member_id;
  return error_code::none;
}

bool classic_group::supports_protocols(const std::string& type, const std::vector<member_protocol>& protocols) const {
  if (in(group_state::empty)) return !type.empty() && !protocols.empty();
  if (!protocol_type || *protocol_type != type) return false;
  for (const auto& p : protocols) {
    bool all = true;
    for (const auto& [id, m] : members) {
      if (!m.metadata_for(p.name)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

std::string classic_group::select_protocol() const {
  // Candidates: protocols every member supports, in the first member's order.
  std::set<std::string> candidates;
  const classic_member& first = members.begin()->second;
  for (const auto& p : first.protocols) {
    bool all = std::all_of(members.begin(), members.end(), [&](const auto& e) { return e.second.metadata_for(p.name); });
    if (all) candidates.insert(p.name);
  }
  std::map<std::string, int> votes;
  std::vector<std::string> order;  // first vote first: a deterministic tie-break
  for (const auto& [id, m] : members) {
    std::string v = m.vote(candidates);
    if (votes[v]++ == 0) order.push_back(v);
  }
  std::string best;
  int best_votes = -1;
  for (const auto& v : order) {
    if (votes[v] > best_votes) {
      best = v;
      best_votes = votes[v];
    }
  }
  return best;
}

int32_t classic_group::rebalance_timeout_ms() const {
  int32_t t = 0;
  for (const auto& [id, m] : members) t = std::max(t, m.rebalance_timeout_ms);
  return t;
}

bool classic_group::maybe_elect_new_joined_leader() {
  if (!leader_id) return false;
  auto it = members.find(*leader_id);
  if (it != members.end() && it->second.is_awaiting_join()) return true;
  for (const auto& [id, m] : members) {
    if (m.is_awaiting_join()) {
      leader_id = id;
      return true;
    }
  }
  return false;
}

std::vector<protocol::join_group_response::JoinGroupResponseMember> classic_group::current_members() const {
  std::vector<protocol::join_group_response::JoinGroupResponseMember> out;
  for (const auto& [id, m] : members) {
    protocol::join_group_response::JoinGroupResponseMember r;
    r.member_id = id;
    r.group_instance_id = m.group_instance_id;
    if (protocol_name)
      if (const auto* md = m.metadata_for(*protocol_name)) r.metadata = *md;
    out.push_back(std::move(r));
  }
  return out;
}

namespace {

// The topics of a ConsumerProtocolSubscription (any version: the topics array
// leads every version): int16 version, int32 count, int16-length strings.
std::optional<std::vector<std::string>> subscription_topics(const std::vector<uint8_t>& b) {
  size_t pos = 0;
  auto need = [&](size_t n) { return b.size() - pos >= n; };
  auto u16 = [&] {
    uint16_t v = static_cast<uint16_t>(b[pos] << 8 | b[pos + 1]);
    pos += 2;
    return v;
  };
  if (!need(6)) return std::nullopt;
  u16();
  int32_t count = static_cast<int32_t>(static_cast<uint32_t>(b[pos]) << 24 | static_cast<uint32_t>(b[pos + 1]) << 16 |
                                       static_cast<uint32_t>(b[pos + 2]) << 8 | b[pos + 3]);
  pos += 4;
  if (count < 0) return std::nullopt;
  std::vector<std::string> topics;
  for (int32_t i = 0; i < count; ++i) {
    if (!need(2)) return std::nullopt;
    int16_t n = static_cast<int16_t>(u16());
    if (n < 0 || !need(static_cast<size_t>(n))) return std::nullopt;
    topics.emplace_back(reinterpret_cast<const char*>(b.data() + pos), static_cast<size_t>(n));
    pos += static_cast<size_t>(n);
  }
  return topics;
}

}  // namespace

void classic_group::compute_subscribed_topics() {
  subscribed_topics.reset();
  if (!protocol_name || !uses_consumer_protocol()) {
    if (members.empty()) subscribed_topics.emplace();
    return;
  }
  std::set<std::string> all;
  for (const auto& [id, m] : members) {
    const auto* md = m.metadata_for(*protocol_name);
    if (!md) return;
    auto topics = subscription_topics(*md);
    if (!topics) return;  // unknown: Kafka keeps Optional.empty()
    all.insert(topics->begin(), topics->end());
  }
  subscribed_topics = std::move(all);
}

bool classic_group::is_subscribed_to_topic(const std::string& topic) const {
  if (subscribed_topics) return subscribed_topics->contains(topic);
  return uses_consumer_protocol();
}

}  // namespace samsa::broker::groups
