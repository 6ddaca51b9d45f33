#include "broker/controller/local_controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "broker/cluster/log_config_mapping.h"
#include "broker/controller/auto_topic_creation.h"
#include "broker/controller/config_ops.h"
#include "broker/controller/topic_ops.h"

namespace samsa::broker {
namespace {

using protocol::error_code;

api_error shutting_down() { return api_error{error_code::request_timed_out, "The controller is shutting down."}; }

// Kafka hides the details of an UNKNOWN_SERVER_ERROR from clients (ApiError).
api_error write_failed() { return api_error{error_code::unknown_server_error, std::nullopt}; }

protocol::create_topics_response failed_create(const protocol::create_topics_request& request, const api_error& e) {
  protocol::create_topics_response out;
  for (const auto& t : request.topics) {
    protocol::create_topics_response::CreatableTopicResult r;
    r.name = t.name;
    r.error_code = static_cast<int16_t>(e.code);
    r.error_message = e.message;
    out.topics.push_back(std::move(r));
  }
  return out;
}

std::vector<topic_deletion_result> failed_delete(const std::vector<uuid>& ids, const api_error& e) {
  std::vector<topic_deletion_result> out;
  for (const uuid& id : ids) out.push_back({id, e});
  return out;
}

std::vector<protocol::create_partitions_response::CreatePartitionsTopicResult> failed_partitions(
    const std::vector<protocol::create_partitions_request::CreatePartitionsTopic>& topics, const api_error& e) {
  std::vector<protocol::create_partitions_response::CreatePartitionsTopicResult> out;
  for (const auto& t : topics) {
    protocol::create_partitions_response::CreatePartitionsTopicResult r;
    r.name = t.name;
    r.error_code = static_cast<int16_t>(e.code);
    r.error_message = e.message;
    out.push_back(std::move(r));
  }
  return out;
}

template <typename Resources>
std::vector<config_resource_result> failed_configs(const Resources& resources, const api_error& e) {
  std::vector<config_resource_result> out;
  for (const auto& r : resources) out.push_back({r.resource, e});
  return out;
}

std::string normal_dir(const std::string& d) {
  std::string s = std::filesystem::path(d).lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::string result_summary(const protocol::create_topics_response& r) {
  std::string out;
  for (const auto& t : r.topics) {
    out += (out.empty() ? "" : ", ") + t.name + ": ";
    out += t.error_code == 0 ? std::string("SUCCESS")
                             : fmt::format("{} ({})", protocol::default_message(static_cast<error_code>(t.error_code)),
                                           t.error_message.value_or(""));
  }
  return out;
}

}  // namespace

result<std::unique_ptr<controller>, std::string> open_controller(controller_options options) {
  auto opened = local_controller::open(std::move(options));
  if (!opened) return make_failure(opened.error());
  return std::unique_ptr<controller>(std::move(*opened));
}

local_controller::local_controller(controller_options options)
    : options_(std::move(options)),
      node_id_(options_.config->node_id()),
      logger_(options_.logger ? options_.logger : spdlog::default_logger()) {}

result<std::unique_ptr<local_controller>, std::string> local_controller::open(controller_options options) {
  SAMSA_ASSERT(options.config && options.logs && options.metadata && options.clock,
               "controller_options needs a config, the log manager, the metadata cache and a clock");
  const auto& dirs = options.config->log_dirs();
  const std::string metadata_dir = normal_dir(options.config->metadata_log_dir());
  if (std::none_of(dirs.begin(), dirs.end(), [&](const std::string& d) { return normal_dir(d) == metadata_dir; }))
    return make_failure("metadata.log.dir " + options.config->metadata_log_dir() +
                        " is not one of log.dirs: Samsa keeps the metadata log in a log directory");
  std::unique_ptr<local_controller> c(new local_controller(std::move(options)));
  if (auto loaded = c->load(); !loaded) return make_failure(loaded.error());
  c->thread_ = std::thread([p = c.get()] { p->loop(); });
  return c;
}

local_controller::~local_controller() {
  {
    std::lock_guard<std::mutex> g(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

result<ok_t, std::string> local_controller::load() {
  auto opened = metadata_log::open(*options_.logs, *options_.config, *options_.clock);
  if (!opened) return make_failure(opened.error());
  log_ = std::move(*opened);
  const bool had_metadata = !log_->empty();
  image_builder builder(metadata_image{}, options_.config, node_id_);
  int64_t last_offset = -1;
  size_t batches = 0;
  auto replayed = log_->replay([&](int64_t offset, std::vector<metadata_record> records) -> result<ok_t, std::string> {
    for (const auto& r : records) {
      if (auto applied = builder.apply(r); !applied)
        return make_failure(fmt::format("batch ending at offset {}: {}", offset, applied.error()));
    }
    last_offset = offset;
    ++batches;
    return ok;
  });
  if (!replayed) return make_failure("cannot replay the metadata log: " + replayed.error());
  std::vector<std::string> warnings;
  std::shared_ptr<metadata_image> image = builder.build(last_offset, &warnings);
  for (const auto& w : warnings) logger_->warn("[Controller id={}] {}", node_id_, w);
  image_ = image;
  reconcile_logs(had_metadata);
  options_.metadata->publish_metadata(image);
  logger_->info("[Controller id={}] replayed {} metadata batch(es) up to offset {}: {} topic(s)", node_id_, batches,
                last_offset, image_->topics.size());
  if (!had_metadata) {
    protocol::feature_level_record f;
    f.name = "metadata.version";
    f.feature_level = bootstrap_metadata_version;
    if (auto e = commit({make_record(std::move(f))}))
      return make_failure(std::string("cannot write the bootstrap metadata batch"));
  }
  return ok;
}

void local_controller::create_partition_log(const topic_metadata& topic, int32_t partition) {
  const storage::log_config cfg = to_log_config(*topic.config, *image_->effective_config);
  auto log = options_.logs->get_or_create_log(storage::topic_partition{topic.name, partition}, cfg);
  if (!log)
    logger_->error("[Controller id={}] cannot create the log of {}-{}: {}", node_id_, topic.name, partition,
                   log.error_value().message);
}

void local_controller::push_log_configs(const std::vector<std::string>& topics) {
  for (const auto& name : topics) {
    if (const topic_metadata* t = image_->find_topic(name))
      options_.logs->update_topic_config(name, to_log_config(*t->config, *image_->effective_config));
  }
}

void local_controller::reconcile_logs(bool delete_strays) {
  std::vector<std::string> names;
  for (const auto& [name, t] : image_->topics) {
    names.push_back(name);
    for (const auto& p : t.partitions) create_partition_log(t, p.partition);
  }
  push_log_configs(names);
  // Logs of topics the metadata does not know: Kafka's stray replicas. With an
  // empty metadata log they are kept: the metadata was lost, not the topics.
  for (const auto& log : options_.logs->all_logs()) {
    const storage::topic_partition& tp = log->tp();
    if (tp.topic == cluster_metadata_topic) continue;
    const topic_metadata* t = image_->find_topic(tp.topic);
    if (t != nullptr && tp.partition < static_cast<int32_t>(t->partitions.size())) continue;
    if (!delete_strays) {
      logger_->warn("[Controller id={}] the metadata log is empty; keeping the log of {} that no topic owns",
                    node_id_, tp.dir_name());
      continue;
    }
    logger_->warn("[Controller id={}] deleting the stray log of {}: the metadata has no such partition", node_id_,
                  tp.dir_name());
    if (auto s = options_.logs->delete_log(tp); !s)
      logger_->error("[Controller id={}] cannot delete the stray log {}: {}", node_id_, tp.dir_name(),
                     s.error_value().message);
  }
}

std::optional<api_error> local_controller::commit(const std::vector<metadata_record>& records) {
  if (log_->failed()) return write_failed();
  auto appended = log_->append(records);
  if (!appended) {
    logger_->error("[Controller id={}] {}", node_id_, appended.error());
    return write_failed();
  }
  image_builder builder(*image_, options_.config, node_id_);
  for (const auto& r : records) {
    auto applied = builder.apply(r);
    // The plan was made against image_: a record that does not apply is a bug,
    // and the log now holds it. Stop rather than serve metadata that differs
    // from what a restart would replay.
    SAMSA_ASSERT(applied, "a planned metadata record does not apply");
  }
  std::vector<std::string> warnings;
  std::shared_ptr<metadata_image> next = builder.build(*appended, &warnings);
  for (const auto& w : warnings) logger_->warn("[Controller id={}] {}", node_id_, w);
  const image_changes changes = builder.changes();
  image_ = next;
  for (const auto& [topic, partition] : changes.new_partitions) {
    if (const topic_metadata* t = image_->find_topic(topic)) create_partition_log(*t, partition);
  }
  if (changes.broker_configs_changed) {
    std::vector<std::string> all;
    for (const auto& [name, _] : image_->topics) all.push_back(name);
    push_log_configs(all);
  } else {
    push_log_configs({changes.topic_configs_changed.begin(), changes.topic_configs_changed.end()});
  }
  options_.metadata->publish_metadata(next);
  for (const topic_metadata& removed : changes.removed_topics) {
    for (const auto& p : removed.partitions) {
      auto s = options_.logs->delete_log(storage::topic_partition{removed.name, p.partition});
      if (!s && s.error_value().code != storage::errc::not_found)
        logger_->error("[Controller id={}] cannot delete the log of {}-{}: {}", node_id_, removed.name, p.partition,
                       s.error_value().message);
    }
  }
  return std::nullopt;
}

void local_controller::submit(task t) {
  {
    std::lock_guard<std::mutex> g(mu_);
    if (!stopping_) {
      queue_.push_back(std::move(t));
      cv_.notify_one();
      return;
    }
  }
  t.cancel();
}

void local_controller::loop() {
  for (;;) {
    task t;
    bool cancel = false;
    {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait(l, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      t = std::move(queue_.front());
      queue_.pop_front();
      cancel = stopping_;
    }
    if (cancel) {
      t.cancel();
    } else {
      t.run();
    }
  }
}

void local_controller::allocate_producer_ids(
    std::function<void(result<producer_id_block, protocol::error_code>)> done) {
  auto cb = std::make_shared<decltype(done)>(std::move(done));
  submit({[this, cb] {
            const int64_t first = image_->next_producer_id;
            if (first > std::numeric_limits<int64_t>::max() - producer_id_block_size) {
              logger_->error("[Controller id={}] Exhausted all producerIds as the next block's end producerId has "
                             "exceeded the int64 type limit",
                             node_id_);
              (*cb)(make_failure(error_code::unknown_server_error));
              return;
            }
            protocol::producer_ids_record r;
            r.broker_id = node_id_;
            r.broker_epoch = -1;
            r.next_producer_id = first + producer_id_block_size;
            if (auto e = commit({make_record(std::move(r))})) {
              (*cb)(make_failure(e->code));
              return;
            }
            (*cb)(producer_id_block{first, producer_id_block_size});
          },
          [cb] { (*cb)(make_failure(error_code::request_timed_out)); }});
}

void local_controller::create_topics(protocol::create_topics_request request, create_topics_callback done) {
  auto req = std::make_shared<protocol::create_topics_request>(std::move(request));
  auto cb = std::make_shared<create_topics_callback>(std::move(done));
  submit({[this, req, cb] {
            create_topics_plan plan = plan_create_topics(context(), req->topics, ids_);
            if (plan.request_error) return (*cb)(failed_create(*req, *plan.request_error));
            if (!req->validate_only && !plan.records.empty()) {
              if (auto e = commit(plan.records)) return (*cb)(failed_create(*req, *e));
            }
            logger_->info("[Controller id={}] {}CreateTopics result(s): {}", node_id_,
                          req->validate_only ? "Validate-only " : "", result_summary(plan.response));
            (*cb)(std::move(plan.response));
          },
          [req, cb] { (*cb)(failed_create(*req, shutting_down())); }});
}

void local_controller::auto_create_topics(std::vector<std::string> names) {
  std::vector<std::string> fresh;
  {
    std::lock_guard<std::mutex> g(mu_);
    for (auto& n : names)
      if (auto_creating_.insert(n).second) fresh.push_back(std::move(n));
  }
  if (fresh.empty()) return;
  auto forget = [this, fresh] {
    std::lock_guard<std::mutex> g(mu_);
    for (const auto& n : fresh) auto_creating_.erase(n);
  };
  submit({[this, fresh, forget] {
            run_auto_create(fresh);
            forget();
          },
          forget});
}

void local_controller::run_auto_create(const std::vector<std::string>& names) {
  std::vector<protocol::create_topics_request::CreatableTopic> topics;
  for (const auto& n : names) {
    // The metadata log's own partition is never a topic (ControllerApis refuses it).
    if (n == cluster_metadata_topic) continue;
    if (image_->find_topic(n) == nullptr) topics.push_back(auto_creatable_topic(*options_.config, n));
  }
  if (topics.empty()) return;
  create_topics_plan plan = plan_create_topics(context(), topics, ids_);
  if (plan.request_error) {
    logger_->warn("[Controller id={}] auto topic creation failed: {}", node_id_, plan.request_error->message.value_or(""));
    return;
  }
  if (!plan.records.empty()) {
    if (auto e = commit(plan.records)) {
      logger_->warn("[Controller id={}] auto topic creation failed: {}", node_id_,
                    protocol::default_message(e->code));
      return;
    }
  }
  logger_->info("[Controller id={}] Auto topic creation result(s): {}", node_id_, result_summary(plan.response));
}

void local_controller::delete_topics(std::vector<uuid> topic_ids, delete_topics_callback done) {
  auto ids = std::make_shared<std::vector<uuid>>(std::move(topic_ids));
  auto cb = std::make_shared<delete_topics_callback>(std::move(done));
  submit({[this, ids, cb] {
            delete_topics_plan plan = plan_delete_topics(context(), *ids);
            if (plan.request_error) return (*cb)(failed_delete(*ids, *plan.request_error));
            std::vector<std::string> names;
            for (const auto& r : plan.results)
              if (r.error.ok()) names.push_back(image_->find_topic(r.topic_id)->name);
            if (!plan.records.empty()) {
              if (auto e = commit(plan.records)) return (*cb)(failed_delete(*ids, *e));
            }
            for (const auto& n : names) logger_->info("[Controller id={}] Removed topic {}", node_id_, n);
            (*cb)(std::move(plan.results));
          },
          [ids, cb] { (*cb)(failed_delete(*ids, shutting_down())); }});
}

void local_controller::create_partitions(std::vector<protocol::create_partitions_request::CreatePartitionsTopic> topics,
                                         bool validate_only, create_partitions_callback done) {
  auto req = std::make_shared<decltype(topics)>(std::move(topics));
  auto cb = std::make_shared<create_partitions_callback>(std::move(done));
  submit({[this, req, cb, validate_only] {
            create_partitions_plan plan = plan_create_partitions(context(), *req);
            if (plan.request_error) return (*cb)(failed_partitions(*req, *plan.request_error));
            if (!validate_only && !plan.records.empty()) {
              if (auto e = commit(plan.records)) return (*cb)(failed_partitions(*req, *e));
            }
            (*cb)(std::move(plan.results));
          },
          [req, cb] { (*cb)(failed_partitions(*req, shutting_down())); }});
}

void local_controller::incremental_alter_configs(std::vector<incremental_config_changes> changes, bool validate_only,
                                                 alter_configs_callback done) {
  auto req = std::make_shared<decltype(changes)>(std::move(changes));
  auto cb = std::make_shared<alter_configs_callback>(std::move(done));
  submit({[this, req, cb, validate_only] {
            alter_configs_plan plan = plan_incremental_alter_configs(context(), *req);
            if (plan.request_error) return (*cb)(failed_configs(*req, *plan.request_error));
            if (!validate_only && !plan.records.empty()) {
              if (auto e = commit(plan.records)) return (*cb)(failed_configs(*req, *e));
            }
            (*cb)(std::move(plan.results));
          },
          [req, cb] { (*cb)(failed_configs(*req, shutting_down())); }});
}

void local_controller::legacy_alter_configs(std::vector<replacement_configs> changes, bool validate_only,
                                            alter_configs_callback done) {
  auto req = std::make_shared<decltype(changes)>(std::move(changes));
  auto cb = std::make_shared<alter_configs_callback>(std::move(done));
  submit({[this, req, cb, validate_only] {
            alter_configs_plan plan = plan_legacy_alter_configs(context(), *req);
            if (plan.request_error) return (*cb)(failed_configs(*req, *plan.request_error));
            if (!validate_only && !plan.records.empty()) {
              if (auto e = commit(plan.records)) return (*cb)(failed_configs(*req, *e));
            }
            (*cb)(std::move(plan.results));
          },
          [req, cb] { (*cb)(failed_configs(*req, shutting_down())); }});
}

}  // namespace samsa::broker
