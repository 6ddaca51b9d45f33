#pragma once

#include "broker/request_context.h"

namespace samsa::broker {

// DeleteTopics (key 20, v1-6): by name (v1-5 topic_names, v6 topics) and by
// id (v6). Kafka's ControllerApis.deleteTopics rules: delete.topic.enable=false
// fails every topic (INVALID_REQUEST before v3, TOPIC_DELETION_DISABLED from
// v3); a name and an id together, neither, or a name/id given twice ->
// INVALID_REQUEST; unknown names UNKNOWN_TOPIC_OR_PARTITION, unknown ids
// UNKNOWN_TOPIC_ID; the rest is deleted by the controller.
void handle_delete_topics(request_context&& ctx);

}  // namespace samsa::broker
