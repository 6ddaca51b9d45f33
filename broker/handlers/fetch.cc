#include "broker/handlers/fetch.h"

#include <algorithm>
#include <optional>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/config/broker_config.h"
#include "broker/data/partition_directory.h"
#include "broker/fetch_session/fetch_session_cache.h"
#include "broker/fetch_session/response_builder.h"
#include "broker/handlers/delayed_fetch.h"
#include "broker/handlers/fetch_answer.h"
#include "broker/handlers/fetch_read.h"
#include "protocol/error_code.h"
#include "protocol/generated/fetch.h"

namespace samsa::broker {
namespace {

using protocol::error_code;

// Topic ids of the image (v13+ requests).
class image_topic_names final : public topic_name_resolver {
 public:
  explicit image_topic_names(const metadata_image& image) : image_(image) {}
  std::optional<std::string> topic_name(const uuid& id) const override {
    const topic_metadata* t = image_.find_topic(id);
    return t ? std::optional<std::string>(t->name) : std::nullopt;
  }

 private:
  const metadata_image& image_;
};

fetch_params params_of(const protocol::fetch_request& request, int16_t version, bool is_follower,
                       const broker_services& services) {
  fetch_params p;
  p.version = version;
  p.is_follower = is_follower;
  p.max_wait_ms = request.max_wait_ms;
  const int32_t broker_max = services.config ? services.config->get_int("fetch.max.bytes") : INT32_MAX;
  p.max_bytes = std::min(request.max_bytes, broker_max);
  p.min_bytes = std::min(request.min_bytes, p.max_bytes);
  if (is_follower) {
    p.isolation = storage::fetch_isolation::log_end;
  } else if (request.isolation_level == 1) {
    p.isolation = storage::fetch_isolation::txn_committed;
  } else {
    p.isolation = storage::fetch_isolation::high_watermark;
  }
  return p;
}

}  // namespace

void handle_fetch(request_context&& ctx) {
  protocol::fetch_request request;
  if (!ctx.decode(request)) return;
  broker_services& services = ctx.services();
  const int16_t version = ctx.api_version();
  const int32_t replica_id = version >= 15 ? request.replica_state.replica_id : request.replica_id;
  const bool is_follower = replica_id >= 0;
  auto image = services.metadata->current();

  image_topic_names names(*image);
  fetch_context session = services.fetch_sessions->new_context(request, version, is_follower, names, fetch_clock_ms());

  std::vector<partition_to_fetch> interesting;
  std::vector<partition_result> erroneous;
  for (const auto& p : session.partitions()) {
    if (!p.partition.topic) {
      erroneous.push_back({p.partition, error_partition_data(error_code::unknown_topic_id)});
      continue;
    }
    const topic_metadata* t = image->find_topic(*p.partition.topic);
    if (!t || !data::find_partition(*t, p.partition.partition.value())) {
      erroneous.push_back({p.partition, error_partition_data(error_code::unknown_topic_or_partition)});
      continue;
    }
    interesting.push_back(p);
  }

  const fetch_params params = params_of(request, version, is_follower, services);
  if (interesting.empty()) return answer_fetch(ctx, session, {}, std::move(erroneous), *image);
  fetch_read read = read_partitions(services, *image, params, interesting);
  if (params.max_wait_ms <= 0 || read.bytes >= params.min_bytes || read.any_error || read.any_diverging) {
    return answer_fetch(ctx, session, std::move(read.results), std::move(erroneous), *image);
  }
  // Not enough yet: the first read's results are dropped (they hold only file
  // ranges) and the partitions are read again when the wait ends.
  wait_for_data(std::move(ctx), std::move(session), params, std::move(interesting), std::move(erroneous));
}

}  // namespace samsa::broker
