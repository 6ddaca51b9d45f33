// topic_log_config, declared in controller.h.
#include "broker/controller/controller.h"

#include "broker/cluster/log_config_mapping.h"
#include "broker/controller/metadata_log.h"

namespace samsa::broker {

storage::log_config topic_log_config(const config::broker_config& static_config, const metadata_cache* metadata,
                                     const std::string& topic) {
  if (topic == cluster_metadata_topic) return metadata_log_config(static_config);
  std::shared_ptr<const metadata_image> image = metadata ? metadata->current() : nullptr;
  const config::broker_config& broker =
      image && image->effective_config ? *image->effective_config : static_config;
  if (image) {
    if (const topic_metadata* t = image->find_topic(topic); t && t->config) return to_log_config(*t->config, broker);
  }
  auto defaults = config::topic_config::resolve(broker, config::properties{});
  return to_log_config(*defaults, broker);
}

}  // namespace samsa::broker
