#include "broker/handlers/create_topics.h"

#include <set>

#include "broker/controller/metadata_log.h"
#include "broker/handlers/admin_util.h"
#include "protocol/generated/create_topics.h"

namespace samsa::broker {

void handle_create_topics(request_context&& context) {
  protocol::create_topics_request request;
  if (!context.decode(request)) return;
  // ControllerApis.createTopics: names given twice are refused, not created.
  std::set<std::string> names, duplicates;
  for (const auto& t : request.topics) {
    if (duplicates.contains(t.name)) continue;
    if (!names.insert(t.name).second) {
      names.erase(t.name);
      duplicates.insert(t.name);
    }
  }
  const bool metadata_topic = names.contains(std::string(cluster_metadata_topic));
  protocol::create_topics_request effective;
  effective.timeout_ms = request.timeout_ms;
  effective.validate_only = request.validate_only;
  for (auto& t : request.topics) {
    if (duplicates.contains(t.name) || t.name == cluster_metadata_topic) continue;
    effective.topics.push_back(std::move(t));
  }
  auto finish = [duplicates, metadata_topic](protocol::create_topics_response& response) {
    using result = protocol::create_topics_response::CreatableTopicResult;
    for (const auto& name : duplicates) {
      result r;
      r.name = name;
      r.error_code = wire_code(protocol::error_code::invalid_request);
      r.error_message = "Duplicate topic name.";
      response.topics.push_back(std::move(r));
    }
    if (metadata_topic) {
      result r;
      r.name = std::string(cluster_metadata_topic);
      r.error_code = wire_code(protocol::error_code::invalid_request);
      r.error_message = "Creation of internal topic __cluster_metadata is prohibited.";
      response.topics.push_back(std::move(r));
    }
    response.throttle_time_ms = 0;
  };
  if (effective.topics.empty()) {
    protocol::create_topics_response response;
    finish(response);
    return context.respond(response);
  }
  auto ctx = share(std::move(context));
  ctx->services().controller->create_topics(std::move(effective),
                                            [ctx, finish](protocol::create_topics_response response) {
                                              finish(response);
                                              ctx->respond(response);
                                            });
}

}  // namespace samsa::broker
