#include "broker/handlers/delete_topics.h"

#include <map>
#include <set>

#include "broker/cluster/metadata_image.h"
#include "broker/config/broker_config.h"
#include "broker/handlers/admin_util.h"
#include "protocol/generated/delete_topics.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using response = protocol::delete_topics_response;
using result = response::DeletableTopicResult;

result entry(std::optional<std::string> name, const uuid& id, const api_error& e) {
  result r;
  r.name = std::move(name);
  r.topic_id = id;
  r.error_code = wire_code(e.code);
  r.error_message = e.message;
  return r;
}

// DeleteTopicsRequest.getErrorResponse: every topic of the request fails with
// `code` (no message).
response all_failed(const protocol::delete_topics_request& request, int16_t version, error_code code) {
  response out;
  if (version >= 6) {
    for (const auto& t : request.topics) out.responses.push_back(entry(t.name, t.topic_id, {code, std::nullopt}));
  } else {
    for (const auto& n : request.topic_names) out.responses.push_back(entry(n, uuid{}, {code, std::nullopt}));
  }
  return out;
}

}  // namespace

void handle_delete_topics(request_context&& context) {
  protocol::delete_topics_request request;
  if (!context.decode(request)) return;
  const int16_t version = context.api_version();
  if (!context.services().config->delete_topic_enable())
    return context.respond(
        all_failed(request, version, version < 3 ? error_code::invalid_request : error_code::topic_deletion_disabled));

  response out;
  std::set<std::string> names, duplicate_names;
  std::set<uuid> ids, duplicate_ids;
  auto add_name = [&](const std::string& n) {
    if (duplicate_names.contains(n) || !names.insert(n).second) {
      duplicate_names.insert(n);
      names.erase(n);
    }
  };
  for (const auto& n : request.topic_names) add_name(n);
  for (const auto& t : request.topics) {
    if (!t.name) {
      if (t.topic_id.is_zero()) {
        out.responses.push_back(
            entry(std::nullopt, uuid{}, {error_code::invalid_request, "Neither topic name nor id were specified."}));
      } else if (duplicate_ids.contains(t.topic_id) || !ids.insert(t.topic_id).second) {
        duplicate_ids.insert(t.topic_id);
        ids.erase(t.topic_id);
      }
    } else if (t.topic_id.is_zero()) {
      add_name(*t.name);
    } else {
      out.responses.push_back(
          entry(t.name, t.topic_id, {error_code::invalid_request, "You may not specify both topic name and topic id."}));
    }
  }
  for (const auto& n : duplicate_names)
    out.responses.push_back(entry(n, uuid{}, {error_code::invalid_request, "Duplicate topic name."}));
  for (const auto& id : duplicate_ids)
    out.responses.push_back(entry(std::nullopt, id, {error_code::invalid_request, "Duplicate topic id."}));

  // Resolve ids to names and names to ids against the current image
  // (Kafka's findTopicNames / findTopicIds).
  auto image = context.services().metadata->current();
  std::map<uuid, std::string> to_delete;
  for (const auto& id : ids) {
    if (const topic_metadata* t = image->find_topic(id)) {
      to_delete.emplace(id, t->name);
    } else {
      out.responses.push_back(entry(std::nullopt, id, {error_code::unknown_topic_id,
                                                       std::string(protocol::default_message(error_code::unknown_topic_id))}));
    }
  }
  for (const auto& n : names) {
    const topic_metadata* t = image->find_topic(n);
    if (t == nullptr) {
      out.responses.push_back(
          entry(n, uuid{},
                {error_code::unknown_topic_or_partition,
                 std::string(protocol::default_message(error_code::unknown_topic_or_partition))}));
    } else if (duplicate_ids.contains(t->id) || !to_delete.emplace(t->id, n).second) {
      duplicate_ids.insert(t->id);
      to_delete.erase(t->id);
      out.responses.push_back(entry(n, t->id, {error_code::invalid_request,
                                               "The provided topic name maps to an ID that was already supplied."}));
    }
  }
  out.throttle_time_ms = 0;
  if (to_delete.empty()) return context.respond(out);

  std::vector<uuid> delete_ids;
  for (const auto& [id, _] : to_delete) delete_ids.push_back(id);
  auto ctx = share(std::move(context));
  auto partial = std::make_shared<response>(std::move(out));
  ctx->services().controller->delete_topics(
      std::move(delete_ids), [ctx, partial, to_delete](std::vector<topic_deletion_result> results) {
        for (const auto& r : results) {
          auto it = to_delete.find(r.topic_id);
          partial->responses.push_back(
              entry(it == to_delete.end() ? std::nullopt : std::optional<std::string>(it->second), r.topic_id,
                    r.error));
        }
        ctx->respond(*partial);
      });
}

}  // namespace samsa::broker
