// ConsumerGroupHeartbeat (KIP-848), after Kafka's GroupCoordinatorService
// .throwIfConsumerGroupHeartbeatRequestIsInvalid and GroupMetadataManager
// .consumerGroupHeartbeat / consumerGroupLeave / consumerGroupFenceMember:
// validate everything first, then change the group in memory and write the
// records of the change; the answer leaves once they are durable.
#include <algorithm>
#include <cctype>

#include "broker/groups/assignors.h"
#include "broker/groups/group_coordinator.h"
#include "broker/groups/heartbeat_result.h"
#include "broker/groups/outbox.h"
#include "broker/groups/reconciliation.h"

namespace samsa::broker::groups {

using protocol::error_code;
using hb_request = protocol::consumer_group_heartbeat_request;
using hb_response = protocol::consumer_group_heartbeat_response;


namespace {

int16_t code(error_code e) { return static_cast<int16_t>(e); }

// Kafka's throwIfEmptyString: null passes, "" and whitespace do not.
bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}
bool blank(const std::optional<std::string>& s) { return s && blank(*s); }

coordinator_record record(consumer_record_type type, const std::string& group, const std::string& member,
                          std::optional<std::vector<uint8_t>> value) {
  coordinator_record r;
  r.key = encode_consumer_key({type, group, member, {}});
  r.value = std::move(value);
  return r;
}

}  // namespace

void group_coordinator::set_topic_lookup(topic_lookup_fn lookup) {
  std::lock_guard<std::mutex> lock(mu_);
  topic_lookup_ = std::move(lookup);
}

void group_coordinator::consumer_group_heartbeat(const heartbeat_origin& origin, hb_request r,
                                                 std::function<void(hb_response)> done) {
  outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    heartbeat_result res;
    auto invalid = [&](error_code e, std::string message) {
      res.response.error_code = code(e);
      res.response.error_message = std::move(message);
    };
    // GroupCoordinatorService.throwIfConsumerGroupHeartbeatRequestIsInvalid.
    if (stopped_) {
      invalid(error_code::not_coordinator, "");
      res.response.error_message.reset();
    } else if ((origin.api_version >= 1 || r.member_epoch > 0 || r.member_epoch == leave_group_member_epoch) &&
               blank(r.member_id)) {
      invalid(error_code::invalid_request, "MemberId can't be empty.");
    } else if (blank(r.group_id)) {
      invalid(error_code::invalid_request, "GroupId can't be empty.");
    } else if (blank(r.instance_id)) {
      invalid(error_code::invalid_request, "InstanceId can't be empty.");
    } else if (blank(r.rack_id)) {
      invalid(error_code::invalid_request, "RackId can't be empty.");
    } else if (r.member_epoch == 0 && r.rebalance_timeout_ms == -1) {
      invalid(error_code::invalid_request, "RebalanceTimeoutMs must be provided in first request.");
    } else if (r.member_epoch == 0 && (!r.topic_partitions || !r.topic_partitions->empty())) {
      invalid(error_code::invalid_request, "TopicPartitions must be empty when (re-)joining.");
    } else if (r.member_epoch == 0 && !r.subscribed_topic_names && !r.subscribed_topic_regex) {
      invalid(error_code::invalid_request,
              "Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.");
    } else if (r.member_epoch == leave_group_static_member_epoch && !r.instance_id) {
      invalid(error_code::invalid_request, "InstanceId can't be null.");
    } else if (r.member_epoch < leave_group_static_member_epoch) {
      invalid(error_code::invalid_request, "MemberEpoch is invalid.");
    } else if (r.server_assignor && !std::count(config_.consumer_assignors.begin(), config_.consumer_assignors.end(),
                                                *r.server_assignor)) {
      std::string names;
      for (const auto& a : config_.consumer_assignors) names += (names.empty() ? "" : ", ") + a;
      invalid(error_code::unsupported_assignor,
              "ServerAssignor " + *r.server_assignor + " is not supported. Supported assignors: " + names + ".");
    } else if (r.member_epoch == leave_group_member_epoch || r.member_epoch == leave_group_static_member_epoch) {
      res = consumer_leave_locked(out, r);
    } else {
      res = consumer_heartbeat_locked(out, origin, r);
    }
    if (res.records.empty()) {
      out.answer(std::move(done), std::move(res.response));
    } else {
      auto cb = std::make_shared<std::function<void(hb_response)>>(std::move(done));
      auto response = std::make_shared<hb_response>(std::move(res.response));
      write(out, r.group_id, std::move(res.records), [cb, response](outbox& o, classic_group*, error_code e) {
        if (e != error_code::none) {
          const error_code mapped = e == error_code::not_leader_or_follower || e == error_code::kafka_storage_error ||
                                            e == error_code::not_coordinator
                                        ? error_code::not_coordinator
                                        : error_code::coordinator_not_available;
          *response = hb_response{};
          response->error_code = code(mapped);
        }
        o.answer(std::move(*cb), std::move(*response));
      });
    }
  }
  out.run();
}

group_coordinator::heartbeat_result group_coordinator::consumer_leave_locked(outbox& out, const hb_request& r) {
  heartbeat_result res;
  auto fail = [&](error_code e, std::string message) {
    res.response = hb_response{};
    res.response.error_code = code(e);
    res.response.error_message = std::move(message);
    return res;
  };
  classic_group* holder = find(r.group_id);
  if (!holder) return fail(error_code::group_id_not_found, "Consumer group " + r.group_id + " not found.");
  if (!holder->consumer) return fail(error_code::group_id_not_found, "Group " + r.group_id + " is not a consumer group.");
  consumer_group& g = *holder->consumer;
  res.response.member_id = r.member_id;
  res.response.member_epoch = r.member_epoch;
  if (!r.instance_id) {
    if (!g.members.contains(r.member_id))
      return fail(error_code::unknown_member_id,
                  "Member " + r.member_id + " is not a member of group " + r.group_id + ".");
    if (!maybe_downgrade_on_leave(out, *holder, r.member_id, res.records))
      fence_consumer_member(g, r.member_id, res.records);
    return res;
  }
  const consumer_member* s = g.static_member(*r.instance_id);
  if (!s) return fail(error_code::unknown_member_id, "Instance id " + *r.instance_id + " is unknown.");
  if (s->member_id != r.member_id)
    return fail(error_code::fenced_instance_id, "Static member " + r.member_id + " with instance id " +
                                                    *r.instance_id + " was fenced by member " + s->member_id + ".");
  if (r.member_epoch == leave_group_static_member_epoch) {
    // A static member leaves for a while: it keeps its partitions (epoch -2)
    // until its session times out or it comes back.
    consumer_member& m = g.members.at(s->member_id);
    consumer_member next = m;
    next.member_epoch = leave_group_static_member_epoch;
    next.partitions_pending_revocation.clear();
    g.set_member_assignment(m, next);
    m.rebalance_deadline_ms.reset();
    res.records.push_back(record(consumer_record_type::current_member_assignment, g.group_id, m.member_id,
                                 encode_current_assignment_value(m)));
    return res;
  }
  const std::string leaving = s->member_id;
  if (!maybe_downgrade_on_leave(out, *holder, leaving, res.records)) fence_consumer_member(g, leaving, res.records);
  return res;
}

void group_coordinator::fence_consumer_member(consumer_group& g, const std::string& member_id_ref,
                                              std::vector<coordinator_record>& records) {
  const std::string member_id = member_id_ref;  // the caller's string may live in the member removed below
  records.push_back(record(consumer_record_type::current_member_assignment, g.group_id, member_id, std::nullopt));
  records.push_back(record(consumer_record_type::target_assignment_member, g.group_id, member_id, std::nullopt));
  records.push_back(record(consumer_record_type::member_metadata, g.group_id, member_id, std::nullopt));
  const consumer_member* leaving = &g.members.at(member_id);
  std::map<std::string, subscribed_topic> meta;
  for (const auto& [name, n] : g.subscribed_topic_names(leaving, nullptr)) {
    auto it = g.subscription_metadata.find(name);
    if (it != g.subscription_metadata.end()) meta[name] = it->second;
  }
  // The member was the last one subscribed to its regular expression: it goes.
  if (has_regex(leaving->subscribed_topic_regex) && g.num_subscribed_members(*leaving->subscribed_topic_regex) == 1) {
    consumer_record_key k{consumer_record_type::regular_expression, g.group_id, "", *leaving->subscribed_topic_regex};
    coordinator_record tomb;
    tomb.key = encode_consumer_key(k);
    records.push_back(std::move(tomb));
    g.resolved_regexes.erase(*leaving->subscribed_topic_regex);
  }
  g.remove_member(member_id);
  g.target_assignment.erase(member_id);
  if (meta != g.subscription_metadata) {
    g.subscription_metadata = std::move(meta);
    records.push_back(record(consumer_record_type::partition_metadata, g.group_id, "",
                             encode_partition_metadata_value(g.subscription_metadata)));
  }
  g.group_epoch += 1;
  records.push_back(
      record(consumer_record_type::group_metadata, g.group_id, "", encode_group_epoch_value(g.group_epoch)));
}

void group_coordinator::expire_consumer_timers(outbox& out, int64_t now) {
  for (auto& [id, holder] : groups_) {
    if (!holder->consumer) continue;
    consumer_group& g = *holder->consumer;
    std::vector<std::string> expired;
    for (const auto& [mid, m] : g.members) {
      const bool session = m.session_deadline_ms && *m.session_deadline_ms <= now;
      // The revocation did not finish within the rebalance timeout.
      const bool revocation = m.rebalance_deadline_ms && *m.rebalance_deadline_ms <= now &&
                              m.state == member_state::unrevoked_partitions &&
                              m.member_epoch == m.rebalance_deadline_epoch;
      // A classic member did not rejoin, or did not sync, within its rebalance timeout.
      const bool classic = (m.classic_join_deadline_ms && *m.classic_join_deadline_ms <= now) ||
                           (m.classic_sync_deadline_ms && *m.classic_sync_deadline_ms <= now);
      if (session || revocation || classic) expired.push_back(mid);
    }
    if (expired.empty()) continue;
    std::vector<coordinator_record> records;
    for (const auto& mid : expired) {
      // A downgrade turns the group classic: the other expired members are
      // classic members then, and their classic session timers take over.
      if (maybe_downgrade_on_leave(out, *holder, mid, records)) break;
      fence_consumer_member(*holder->consumer, mid, records);
    }
    write(out, id, std::move(records), [](outbox&, classic_group*, error_code) {});
  }
}

}  // namespace samsa::broker::groups
