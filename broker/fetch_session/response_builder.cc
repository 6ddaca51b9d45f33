#include "broker/fetch_session/response_builder.h"

#include <utility>

namespace samsa::broker {
namespace {

bool same_topic(const protocol::fetch_response::FetchableTopicResponse& previous, const fetch_partition& p) {
  if (!previous.topic_id.is_zero()) return previous.topic_id == p.topic_id;
  return p.topic_id.is_zero() && previous.topic == p.topic.value_or(std::string{});
}

}  // namespace

protocol::fetch_response make_fetch_response(protocol::error_code error, int32_t session_id,
                                             std::vector<partition_result> partitions) {
  protocol::fetch_response response;
  response.throttle_time_ms = 0;
  response.error_code = static_cast<int16_t>(error);
  response.session_id = session_id;
  for (auto& result : partitions) {
    result.data.partition_index = result.partition.partition.value();
    // Only consecutive partitions are grouped, so the order is kept exactly.
    if (response.responses.empty() || !same_topic(response.responses.back(), result.partition)) {
      protocol::fetch_response::FetchableTopicResponse topic;
      topic.topic = result.partition.topic.value_or(std::string{});
      topic.topic_id = result.partition.topic_id;
      response.responses.push_back(std::move(topic));
    }
    response.responses.back().partitions.push_back(std::move(result.data));
  }
  return response;
}

protocol::fetch_response::PartitionData error_partition_data(protocol::error_code error) {
  protocol::fetch_response::PartitionData data;
  data.error_code = static_cast<int16_t>(error);
  data.high_watermark = -1;
  return data;
}

}  // namespace samsa::broker
