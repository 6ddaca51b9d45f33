// Regular expression subscriptions of consumer groups (SubscribedTopicRegex),
// after Kafka's GroupMetadataManager.maybeUpdateRegularExpressions,
// refreshRegularExpressions and handleRegularExpressionsResult.
//
// Kafka resolves a group's expressions on an executor and applies the result
// as a later write; Samsa resolves them at once, under the coordinator's
// mutex, within the heartbeat that asked for it (matching topic names is
// cheap), so the member may get the topics one heartbeat earlier than with
// Kafka. The rules for WHEN to resolve are Kafka's: a member brings an
// expression nobody in the group uses, or the group has unresolved
// expressions, or the metadata image gained topics since the last
// resolution; and never twice within regex_refresh_interval_ms.
#include "broker/groups/group_coordinator.h"
#include "broker/groups/topic_regex.h"

namespace samsa::broker::groups {
namespace {

coordinator_record regex_record(const std::string& group, const std::string& regex,
                                 std::optional<std::vector<uint8_t>> value) {
  consumer_record_key k;
  k.type = consumer_record_type::regular_expression;
  k.group_id = group;
  k.regex = regex;
  coordinator_record r;
  r.key = encode_consumer_key(k);
  r.value = std::move(value);
  return r;
}

}  // namespace

void group_coordinator::set_topic_names(topic_names_fn names) {
  std::lock_guard<std::mutex> lock(mu_);
  topic_names_ = std::move(names);
}

topic_names_snapshot group_coordinator::observe_topics() {
  topic_names_snapshot snap;
  if (topic_names_) snap = topic_names_();
  if (snap.version == seen_topics_version_) return snap;
  std::set<std::string> now(snap.names.begin(), snap.names.end());
  for (const auto& n : now)
    if (!seen_topics_.contains(n)) {
      last_image_with_new_topics_ = snap.version;
      break;
    }
  seen_topics_ = std::move(now);
  seen_topics_version_ = snap.version;
  return snap;
}

bool group_coordinator::maybe_update_regexes(consumer_group& g, const consumer_member* member,
                                             const consumer_member& updated,
                                             std::vector<coordinator_record>& records) {
  static const std::optional<std::string> none;
  const std::optional<std::string>& old_regex = member ? member->subscribed_topic_regex : none;
  const std::optional<std::string>& new_regex = updated.subscribed_topic_regex;
  const size_t resolved_before = g.resolved_regexes.size();
  bool bump = false;
  bool require_refresh = false;
  if (old_regex != new_regex) {
    // The member was the last one on its old expression: it goes.
    if (has_regex(old_regex) && g.num_subscribed_members(*old_regex) == 1) {
      records.push_back(regex_record(g.group_id, *old_regex, std::nullopt));
      g.resolved_regexes.erase(*old_regex);
    }
    if (has_regex(new_regex)) {
      // A new expression (validated by the caller) is resolved; one the group
      // already resolved changes this member's topics: a new target.
      if (g.num_subscribed_members(*new_regex) == 0)
        require_refresh = true;
      else
        bump = g.resolved_regexes.contains(*new_regex);
    }
  }
  // 0. The group subscribes to regular expressions (this member's included).
  const auto subscribed = g.subscribed_regexes(member, &updated);
  if (!require_refresh && subscribed.empty()) return bump;
  // 2. The last resolution is older than the interval (none: 0).
  const int64_t now = wall_ms_();
  if (now <= g.last_regex_refresh_ms() + config_.regex_refresh_interval_ms) return bump;
  // 3. Unresolved expressions; 4. the image has topics the last resolution did not see.
  const topic_names_snapshot snap = observe_topics();
  require_refresh |= subscribed.size() != resolved_before;
  require_refresh |= g.last_regex_version() < last_image_with_new_topics_;
  if (!require_refresh || subscribed.empty()) return bump;

  // refreshRegularExpressions + handleRegularExpressionsResult.
  for (const auto& [regex, n] : subscribed) {
    resolved_regex next;
    next.topics = resolve_topic_regex(regex, snap.names);
    next.version = snap.version;
    next.timestamp_ms = now;
    auto it = g.resolved_regexes.find(regex);
    const std::set<std::string> before = it == g.resolved_regexes.end() ? std::set<std::string>{} : it->second.topics;
    if (before != next.topics) bump = true;
    records.push_back(regex_record(g.group_id, regex, encode_regex_value(next)));
    g.resolved_regexes[regex] = std::move(next);
  }
  return bump;
}

}  // namespace samsa::broker::groups
