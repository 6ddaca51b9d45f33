#include "broker/controller/topic_ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "broker/config/topic_config.h"
#include "broker/controller/metadata_log.h"
#include "broker/controller/topic_config_entries.h"
#include "broker/controller/topic_rules.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using creatable_topic = protocol::create_topics_request::CreatableTopic;
using topic_result = protocol::create_topics_response::CreatableTopicResult;

api_error err(error_code code, std::string message) { return api_error{code, std::move(message)}; }

// A new topic's partitions: partition id -> replicas.
using assignment = std::map<int32_t, std::vector<int32_t>>;

// ReplicationControlManager.validateManualPartitionAssignment.
std::optional<api_error> validate_manual_assignment(const plan_context& ctx, const std::vector<int32_t>& replicas,
                                                    std::optional<size_t> replication_factor) {
  if (replicas.empty())
    return err(error_code::invalid_replica_assignment,
               "The manual partition assignment includes an empty replica list.");
  std::vector<int32_t> sorted = replicas;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (!ctx.is_registered_broker(sorted[i]))
      return err(error_code::invalid_replica_assignment,
                 fmt::format("The manual partition assignment includes broker {}, but no such broker is registered.",
                             sorted[i]));
    if (i > 0 && sorted[i] == sorted[i - 1])
      return err(error_code::invalid_replica_assignment,
                 fmt::format("The manual partition assignment includes the broker {} more than once.", sorted[i]));
  }
  if (replication_factor && sorted.size() != *replication_factor)
    return err(error_code::invalid_replica_assignment,
               fmt::format("The manual partition assignment includes a partition with {} replica(s), but this is not "
                           "consistent with previous partitions, which have {} replica(s).",
                           sorted.size(), *replication_factor));
  return std::nullopt;
}

// StripedReplicaPlacer on a cluster of registered_broker_count() brokers;
// errors carry InvalidReplicationFactorException's message.
std::optional<api_error> place(const plan_context& ctx, int32_t first_partition, int32_t count,
                               int32_t replication_factor, assignment& out) {
  if (replication_factor <= 0)
    return err(error_code::invalid_replication_factor,
               fmt::format("Invalid replication factor {}: the replication factor must be positive.",
                           replication_factor));
  if (replication_factor > ctx.registered_broker_count())
    return err(error_code::invalid_replication_factor,
               fmt::format("The target replication factor of {} cannot be reached because only {} broker(s) are "
                           "registered.",
                           replication_factor, ctx.registered_broker_count()));
  for (int32_t p = first_partition; p < first_partition + count; ++p) out[p] = {ctx.node_id};
  return std::nullopt;
}

// ReplicationControlManager.validateNewTopicNames plus the existence check.
std::map<std::string, api_error> name_errors(const plan_context& ctx, const std::vector<creatable_topic>& topics) {
  std::map<std::string, api_error> errors;
  std::map<std::string, std::string> colliding;  // unified name -> an existing topic with collision chars
  for (const auto& [name, _] : ctx.image.topics)
    if (has_collision_chars(name)) colliding.emplace(unify_collision_chars(name), name);
  for (const auto& t : topics) {
    if (errors.contains(t.name)) continue;
    if (auto why = topic_name_error(t.name)) errors[t.name] = err(error_code::invalid_topic_exception, *why);
    if (has_collision_chars(t.name)) {
      if (auto it = colliding.find(unify_collision_chars(t.name)); it != colliding.end())
        errors[t.name] = err(error_code::invalid_topic_exception,
                             fmt::format("Topic '{}' collides with existing topic: {}", t.name, it->second));
    }
  }
  for (const auto& t : topics) {
    // The handler answers this one (ControllerApis); refused here too so that
    // no path can turn the metadata log into a topic.
    if (t.name == cluster_metadata_topic)
      errors[t.name] = err(error_code::invalid_request,
                           "Creation of internal topic __cluster_metadata is prohibited.");
    if (ctx.image.topics.contains(t.name))
      errors[t.name] = err(error_code::topic_already_exists, fmt::format("Topic '{}' already exists.", t.name));
  }
  return errors;
}

// The partitions of one new topic, or why it cannot be created
// (ReplicationControlManager.createTopic).
std::optional<api_error> assign_partitions(const plan_context& ctx, const creatable_topic& t, assignment& parts) {
  if (!t.assignments.empty()) {
    if (t.replication_factor != -1)
      return err(error_code::invalid_request,
                 "A manual partition assignment was specified, but replication factor was not set to -1.");
    if (t.num_partitions != -1)
      return err(error_code::invalid_request,
                 "A manual partition assignment was specified, but numPartitions was not set to -1.");
    std::optional<size_t> replication_factor;
    for (const auto& a : t.assignments) {
      if (parts.contains(a.partition_index))
        return err(error_code::invalid_replica_assignment,
                   fmt::format("Found multiple manual partition assignments for partition {}", a.partition_index));
      if (auto e = validate_manual_assignment(ctx, a.broker_ids, replication_factor)) return e;
      replication_factor = a.broker_ids.size();
      parts[a.partition_index] = a.broker_ids;
    }
    for (int32_t i = 0; i < static_cast<int32_t>(parts.size()); ++i) {
      if (!parts.contains(i))
        return err(error_code::invalid_replica_assignment,
                   "partitions should be a consecutive 0-based integer sequence");
    }
    return std::nullopt;
  }
  if (t.replication_factor < -1 || t.replication_factor == 0)
    return err(error_code::invalid_replication_factor,
               "Replication factor must be larger than 0, or -1 to use the default value.");
  if (t.num_partitions < -1 || t.num_partitions == 0)
    return err(error_code::invalid_partitions, "Number of partitions was set to an invalid non-positive value.");
  const config::broker_config& broker = ctx.static_config;
  const int32_t partitions = t.num_partitions == -1 ? broker.num_partitions() : t.num_partitions;
  const auto replication_factor = static_cast<int16_t>(
      t.replication_factor == -1 ? static_cast<int16_t>(broker.default_replication_factor()) : t.replication_factor);
  // More partitions than one operation may write: Kafka's bounded record list
  // fails the whole request; answered before building them all.
  if (replication_factor > 0 && replication_factor <= ctx.registered_broker_count() &&
      static_cast<size_t>(partitions) > max_records_per_user_op)
    return too_many_records_error();
  if (auto e = place(ctx, 0, partitions, replication_factor, parts)) {
    e->message = fmt::format("Unable to replicate the partition {} time(s): {}", replication_factor, *e->message);
    return e;
  }
  return std::nullopt;
}

topic_result failed_topic(const std::string& name, const api_error& e) {
  topic_result r;
  r.name = name;
  r.error_code = static_cast<int16_t>(e.code);
  r.error_message = e.message;
  r.configs = std::vector<protocol::create_topics_response::CreatableTopicConfigs>{};
  return r;
}

// The answer for a created topic: its id, partitions, replication factor and
// effective configs (ReplicationControlManager.createTopic).
topic_result created_topic(const plan_context& ctx, const std::string& name, const uuid& id, const assignment& parts,
                           const config::properties& creation_configs) {
  topic_result r;
  r.name = name;
  r.topic_id = id;
  r.error_code = 0;
  r.error_message = std::nullopt;
  r.num_partitions = static_cast<int32_t>(parts.size());
  r.replication_factor = static_cast<int16_t>(parts.begin()->second.size());
  r.topic_config_error_code = 0;
  r.configs.emplace();
  for (auto& e : effective_topic_config_entries(ctx.static_config, ctx.image.dynamic_cluster_defaults(),
                                                ctx.image.dynamic_broker_configs(ctx.node_id), creation_configs)) {
    protocol::create_topics_response::CreatableTopicConfigs c;
    c.name = std::move(e.name);
    c.value = std::move(e.value);
    c.read_only = false;
    c.config_source = static_cast<int8_t>(e.source);
    c.is_sensitive = e.sensitive;
    r.configs->push_back(std::move(c));
  }
  return r;
}

}  // namespace

api_error too_many_records_error() {
  return err(error_code::policy_violation, "Unable to perform excessively large batch operation.");
}

protocol::partition_record new_partition_record(const uuid& topic_id, int32_t partition,
                                                const std::vector<int32_t>& replicas) {
  protocol::partition_record r;
  r.partition_id = partition;
  r.topic_id = topic_id;
  r.replicas = replicas;
  r.isr = replicas;
  r.leader = replicas.front();
  r.leader_recovery_state = 0;  // RECOVERED
  r.leader_epoch = 0;
  r.partition_epoch = 0;
  return r;
}

create_topics_plan plan_create_topics(const plan_context& ctx, const std::vector<creatable_topic>& topics,
                                      random_uuid_source& ids) {
  create_topics_plan plan;
  std::map<std::string, api_error> errors = name_errors(ctx, topics);
  std::map<std::string, topic_result> created;
  for (const creatable_topic& t : topics) {
    if (errors.contains(t.name)) continue;
    // computeConfigChanges: null values first, then the topic config rules.
    std::vector<std::string> nulls;
    std::vector<config::topic_config_override> overrides;
    config::properties creation_configs;
    for (const auto& c : t.configs) {
      if (!c.value) {
        nulls.push_back(c.name);
        continue;
      }
      creation_configs.set(c.name, *c.value);
    }
    if (!nulls.empty()) {
      std::string joined;
      for (const auto& n : nulls) joined += (joined.empty() ? "" : ",") + n;
      errors[t.name] = err(error_code::invalid_config, "Null value not supported for topic configs: " + joined);
      continue;
    }
    for (const auto& [k, v] : creation_configs.entries()) overrides.push_back({k, v});
    if (auto valid = config::validate_topic_config(ctx.effective_config(), overrides); !valid) {
      errors[t.name] = err(error_code::invalid_config, valid.error().message);
      continue;
    }
    assignment parts;
    if (auto e = assign_partitions(ctx, t, parts)) {
      if (*e == too_many_records_error()) {
        plan.request_error = e;
        plan.records.clear();
        break;
      }
      errors[t.name] = *e;
      continue;
    }
    uuid id = ids.next();
    while (ctx.image.topic_names_by_id.contains(id)) id = ids.next();
    created.emplace(t.name, created_topic(ctx, t.name, id, parts, creation_configs));
    protocol::topic_record topic;
    topic.name = t.name;
    topic.topic_id = id;
    plan.records.push_back(make_record(std::move(topic)));
    for (const auto& [k, v] : creation_configs.entries()) {
      protocol::config_record c;
      c.resource_type = static_cast<int8_t>(config_resource_type::topic);
      c.resource_name = t.name;
      c.name = k;
      c.value = v;
      plan.records.push_back(make_record(std::move(c)));
    }
    for (const auto& [p, replicas] : parts) plan.records.push_back(make_record(new_partition_record(id, p, replicas)));
  }
  if (plan.request_error) return plan;
  for (const creatable_topic& t : topics) {
    if (auto e = errors.find(t.name); e != errors.end()) {
      plan.response.topics.push_back(failed_topic(t.name, e->second));
    } else {
      plan.response.topics.push_back(created.at(t.name));
    }
  }
  if (plan.records.size() > max_records_per_user_op) {
    plan.request_error = too_many_records_error();
    plan.records.clear();
  }
  return plan;
}

delete_topics_plan plan_delete_topics(const plan_context& ctx, const std::vector<uuid>& topic_ids) {
  delete_topics_plan plan;
  std::set<uuid> seen;
  for (const uuid& id : topic_ids) {
    topic_deletion_result r{id, {}};
    if (ctx.image.find_topic(id) == nullptr || !seen.insert(id).second) {
      // UnknownTopicIdException(UNKNOWN_TOPIC_ID.message()): ApiError drops a default message.
      r.error = api_error{error_code::unknown_topic_id, std::nullopt};
    } else {
      protocol::remove_topic_record rec;
      rec.topic_id = id;
      plan.records.push_back(make_record(std::move(rec)));
    }
    plan.results.push_back(std::move(r));
  }
  if (plan.records.size() > max_records_per_user_op) {
    plan.request_error = too_many_records_error();
    plan.records.clear();
  }
  return plan;
}

create_partitions_plan plan_create_partitions(
    const plan_context& ctx, const std::vector<protocol::create_partitions_request::CreatePartitionsTopic>& topics) {
  create_partitions_plan plan;
  for (const auto& t : topics) {
    protocol::create_partitions_response::CreatePartitionsTopicResult r;
    r.name = t.name;
    auto fail = [&](error_code code, std::optional<std::string> message) {
      r.error_code = static_cast<int16_t>(code);
      r.error_message = std::move(message);
    };
    const topic_metadata* topic = ctx.image.find_topic(t.name);
    const int32_t current = topic ? static_cast<int32_t>(topic->partitions.size()) : 0;
    if (topic == nullptr) {
      fail(error_code::unknown_topic_or_partition, std::nullopt);
    } else if (t.count == current) {
      fail(error_code::invalid_partitions, fmt::format("Topic already has {} partition(s).", current));
    } else if (t.count < current) {
      fail(error_code::invalid_partitions,
           fmt::format("The topic {} currently has {} partition(s); {} would not be an increase.", t.name, current,
                       t.count));
    } else if (t.assignments && static_cast<int32_t>(t.assignments->size()) != t.count - current) {
      fail(error_code::invalid_replica_assignment,
           fmt::format("Attempted to add {} additional partition(s), but only {} assignment(s) were specified.",
                       t.count - current, t.assignments->size()));
    } else if (current == 0) {
      fail(error_code::unknown_server_error, std::nullopt);
    } else if (static_cast<size_t>(t.count - current) > max_records_per_user_op) {
      plan.request_error = too_many_records_error();
      plan.records.clear();
      return plan;
    } else {
      const size_t replication_factor = topic->partitions.front().replicas.size();
      std::vector<metadata_record> records;
      std::optional<api_error> problem;
      if (t.assignments) {
        for (size_t i = 0; i < t.assignments->size() && !problem; ++i) {
          const auto& replicas = (*t.assignments)[i].broker_ids;
          problem = validate_manual_assignment(ctx, replicas, replication_factor);
          if (!problem)
            records.push_back(
                make_record(new_partition_record(topic->id, current + static_cast<int32_t>(i), replicas)));
        }
      } else {
        assignment parts;
        problem = place(ctx, current, t.count - current, static_cast<int32_t>(replication_factor), parts);
        if (!problem)
          for (const auto& [p, replicas] : parts) records.push_back(make_record(new_partition_record(topic->id, p, replicas)));
      }
      if (problem) {
        fail(problem->code, problem->message);
      } else {
        r.error_code = 0;
        r.error_message = std::nullopt;
        plan.records.insert(plan.records.end(), records.begin(), records.end());
      }
    }
    plan.results.push_back(std::move(r));
  }
  if (plan.records.size() > max_records_per_user_op) {
    plan.request_error = too_many_records_error();
    plan.records.clear();
  }
  return plan;
}

}  // namespace samsa::broker
