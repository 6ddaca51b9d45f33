#include "broker/handlers/create_partitions.h"

#include <set>

#include "broker/handlers/admin_util.h"
#include "protocol/generated/create_partitions.h"

namespace samsa::broker {

void handle_create_partitions(request_context&& context) {
  protocol::create_partitions_request request;
  if (!context.decode(request)) return;
  using result = protocol::create_partitions_response::CreatePartitionsTopicResult;
  std::set<std::string> names, duplicates;
  for (const auto& t : request.topics)
    if (!names.insert(t.name).second) duplicates.insert(t.name);
  auto out = std::make_shared<protocol::create_partitions_response>();
  out->throttle_time_ms = 0;
  for (const auto& name : duplicates) {
    result r;
    r.name = name;
    r.error_code = wire_code(protocol::error_code::invalid_request);
    r.error_message = "Duplicate topic name.";
    out->results.push_back(std::move(r));
  }
  std::vector<protocol::create_partitions_request::CreatePartitionsTopic> topics;
  for (auto& t : request.topics)
    if (!duplicates.contains(t.name)) topics.push_back(std::move(t));
  if (topics.empty()) return context.respond(*out);
  auto ctx = share(std::move(context));
  ctx->services().controller->create_partitions(std::move(topics), request.validate_only,
                                                [ctx, out](std::vector<result> results) {
                                                  for (auto& r : results) out->results.push_back(std::move(r));
                                                  ctx->respond(*out);
                                                });
}

}  // namespace samsa::broker
