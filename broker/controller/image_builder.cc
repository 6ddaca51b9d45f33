#include "broker/controller/image_builder.h"

#include <fmt/format.h>

#include "broker/cluster/topic_name.h"

namespace samsa::broker {
namespace {

using failure_t = failure<std::string>;

failure_t fail(std::string message) { return make_failure(std::move(message)); }

}  // namespace

result<std::shared_ptr<const config::broker_config>, std::string> effective_broker_config(
    const config::broker_config& static_config, const config::properties* cluster_defaults,
    const config::properties* per_broker) {
  config::properties merged = static_config.originals();
  for (const config::properties* layer : {cluster_defaults, per_broker}) {
    if (layer == nullptr) continue;
    for (const auto& [k, v] : layer->entries()) merged.set(k, v);
  }
  auto built = config::broker_config::from_properties(std::move(merged));
  if (!built) return make_failure(built.error().message);
  return std::shared_ptr<const config::broker_config>(std::make_shared<config::broker_config>(std::move(*built)));
}

image_builder::image_builder(const metadata_image& base, std::shared_ptr<const config::broker_config> static_config,
                             int32_t node_id)
    : next_(std::make_shared<metadata_image>(base)), static_config_(std::move(static_config)), node_id_(node_id) {}

result<ok_t, std::string> image_builder::apply(const metadata_record& r) {
  return std::visit([this](const auto& body) { return apply_record(body); }, r.body);
}

topic_metadata* image_builder::topic_by_id(const uuid& id) {
  auto it = next_->topic_names_by_id.find(id);
  if (it == next_->topic_names_by_id.end()) return nullptr;
  auto t = next_->topics.find(it->second);
  return t == next_->topics.end() ? nullptr : &t->second;
}

result<ok_t, std::string> image_builder::apply_record(const protocol::topic_record& r) {
  if (next_->topics.contains(r.name))
    return fail(fmt::format("Found duplicate TopicRecord for {} with topic ID {}", r.name, r.topic_id.to_base64()));
  if (next_->topic_names_by_id.contains(r.topic_id))
    return fail(fmt::format("Found duplicate TopicRecord for {} with a different name than {}",
                            r.topic_id.to_base64(), r.name));
  topic_metadata t;
  t.name = r.name;
  t.id = r.topic_id;
  t.internal = is_internal_topic(r.name);
  next_->topics.emplace(r.name, std::move(t));
  next_->topic_names_by_id.emplace(r.topic_id, r.name);
  touched_topics_.insert(r.name);
  return ok;
}

result<ok_t, std::string> image_builder::apply_record(const protocol::partition_record& r) {
  topic_metadata* t = topic_by_id(r.topic_id);
  if (t == nullptr)
    return fail(fmt::format("Tried to create partition {}:{}, but no topic with that ID was found.",
                            r.topic_id.to_base64(), r.partition_id));
  const auto size = static_cast<int32_t>(t->partitions.size());
  if (r.partition_id < 0 || r.partition_id > size)
    return fail(fmt::format("Tried to create partition {}-{}, but the topic has {} partition(s).", t->name,
                            r.partition_id, size));
  partition_metadata p;
  p.partition = r.partition_id;
  p.leader = r.leader;
  p.leader_epoch = r.leader_epoch;
  p.partition_epoch = r.partition_epoch;
  p.replicas = r.replicas;
  p.isr = r.isr;
  if (r.partition_id == size) {
    t->partitions.push_back(std::move(p));
    changes_.new_partitions.emplace_back(t->name, r.partition_id);
  } else {
    t->partitions[static_cast<size_t>(r.partition_id)] = std::move(p);
  }
  return ok;
}

result<ok_t, std::string> image_builder::apply_record(const protocol::partition_change_record& r) {
  topic_metadata* t = topic_by_id(r.topic_id);
  if (t == nullptr || r.partition_id < 0 || r.partition_id >= static_cast<int32_t>(t->partitions.size()))
    return fail(fmt::format("Unable to find partition {}:{}", r.topic_id.to_base64(), r.partition_id));
  partition_metadata& p = t->partitions[static_cast<size_t>(r.partition_id)];
  // PartitionRegistration.merge: a new leader starts a new leader epoch; every
  // change is a new partition epoch.
  if (r.leader != -2 && r.leader != p.leader) {
    p.leader = r.leader;
    ++p.leader_epoch;
  }
  if (r.isr) p.isr = *r.isr;
  if (r.replicas) p.replicas = *r.replicas;
  ++p.partition_epoch;
  return ok;
}

result<ok_t, std::string> image_builder::apply_record(const protocol::config_record& r) {
  config_resource key{static_cast<config_resource_type>(r.resource_type), r.resource_name};
  auto& configs = next_->configs;
  if (r.value) {
    configs[key].set(r.name, *r.value);
  } else if (auto it = configs.find(key); it != configs.end()) {
    it->second.erase(r.name);
    if (it->second.empty()) configs.erase(it);
  }
  if (key.type == config_resource_type::topic) {
    changes_.topic_configs_changed.insert(r.resource_name);
    touched_topics_.insert(r.resource_name);
  } else if (key.type == config_resource_type::broker) {
    changes_.broker_configs_changed = true;
  }
  return ok;
}

result<ok_t, std::string> image_builder::apply_record(const protocol::remove_topic_record& r) {
  topic_metadata* t = topic_by_id(r.topic_id);
  if (t == nullptr) return fail(fmt::format("Can't find topic with ID {} to remove.", r.topic_id.to_base64()));
  const std::string name = t->name;
  // Partitions created and removed within one batch never reach the logs.
  std::erase_if(changes_.new_partitions, [&](const auto& p) { return p.first == name; });
  changes_.removed_topics.push_back(*t);
  changes_.topic_configs_changed.erase(name);
  touched_topics_.erase(name);
  next_->topics.erase(name);
  next_->topic_names_by_id.erase(r.topic_id);
  // ConfigurationControlManager.deleteTopicConfigs.
  next_->configs.erase(config_resource{config_resource_type::topic, name});
  return ok;
}

result<ok_t, std::string> image_builder::apply_record(const protocol::producer_ids_record& r) {
  if (next_->next_producer_id > 0 && r.next_producer_id <= next_->next_producer_id)
    return fail(fmt::format("Next Producer ID from replayed record ({}) is not greater than current next Producer "
                            "ID ({})",
                            r.next_producer_id, next_->next_producer_id));
  next_->next_producer_id = r.next_producer_id;
  return ok;
}

result<ok_t, std::string> image_builder::apply_record(const protocol::feature_level_record& r) {
  if (r.feature_level == 0) {
    next_->features.erase(r.name);
  } else {
    next_->features[r.name] = r.feature_level;
  }
  return ok;
}

std::shared_ptr<metadata_image> image_builder::build(int64_t offset, std::vector<std::string>* warnings) {
  metadata_image& img = *next_;
  img.offset = offset;
  const bool defaults_changed = changes_.broker_configs_changed || img.effective_config == nullptr;
  if (defaults_changed) {
    auto effective =
        effective_broker_config(*static_config_, img.dynamic_cluster_defaults(), img.dynamic_broker_configs(node_id_));
    if (effective) {
      img.effective_config = std::move(*effective);
    } else {
      if (warnings) warnings->push_back("the dynamic broker configs are ignored: " + effective.error());
      img.effective_config = static_config_;
    }
  }
  // Topics without overrides share one resolved configuration.
  std::shared_ptr<const config::topic_config> defaults;
  for (auto& [name, t] : img.topics) {
    if (!defaults_changed && t.config && !touched_topics_.contains(name)) continue;
    const config::properties* overrides = img.topic_overrides(name);
    if (overrides == nullptr) {
      if (!defaults) {
        auto resolved = config::topic_config::resolve(*img.effective_config, config::properties{});
        // broker_config's invariant 3: its topic defaults are valid.
        SAMSA_ASSERT(resolved.has_value(), "the broker's topic defaults must resolve");
        defaults = std::make_shared<config::topic_config>(std::move(*resolved));
      }
      t.config = defaults;
      continue;
    }
    auto resolved = config::topic_config::resolve(*img.effective_config, *overrides);
    if (!resolved) {
      if (warnings)
        warnings->push_back(fmt::format("the configs of topic {} are ignored: {}", name, resolved.error().message));
      resolved = config::topic_config::resolve(*img.effective_config, config::properties{});
    }
    if (resolved) t.config = std::make_shared<config::topic_config>(std::move(*resolved));
  }
  return next_;
}

}  // namespace samsa::broker
