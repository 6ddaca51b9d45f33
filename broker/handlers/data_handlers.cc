// The data-path group of the handler table: produce, fetch, offsets, producer ids.
// Served ranges are Kafka 4.0's (docs/kafka-behaviour/api-versions.md) capped
// by our schemas: Produce 3-12 (0-2 advertised and refused, KAFKA-18659; v12 is
// transaction.version 2's implicit add),
// Fetch 4-17, ListOffsets 1-10, DeleteRecords 0-2, InitProducerId 0-5,
// OffsetForLeaderEpoch 2-4, DescribeLogDirs 1-4.
#include "broker/handlers/delete_records.h"
#include "broker/handlers/describe_log_dirs.h"
#include "broker/handlers/fetch.h"
#include "broker/handlers/handler_table.h"
#include "broker/handlers/init_producer_id.h"
#include "broker/handlers/list_offsets.h"
#include "broker/handlers/offset_for_leader_epoch.h"
#include "broker/handlers/produce.h"
#include "protocol/generated/api_registry.h"

namespace samsa::broker {
namespace {

constexpr api_handler handlers[] = {
    {protocol::api_keys::produce, 3, 12, 0, &handle_produce},
    {protocol::api_keys::fetch, 4, 17, 4, &handle_fetch},
    {protocol::api_keys::list_offsets, 1, 10, 1, &handle_list_offsets},
    {protocol::api_keys::delete_records, 0, 2, 0, &handle_delete_records},
    {protocol::api_keys::init_producer_id, 0, 5, 0, &handle_init_producer_id},
    {protocol::api_keys::offset_for_leader_epoch, 2, 4, 2, &handle_offset_for_leader_epoch},
    {protocol::api_keys::describe_log_dirs, 1, 4, 1, &handle_describe_log_dirs},
};

}  // namespace

std::span<const api_handler> data_handlers() { return handlers; }

}  // namespace samsa::broker
