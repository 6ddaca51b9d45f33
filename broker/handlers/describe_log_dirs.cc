#include "broker/handlers/describe_log_dirs.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "broker/broker_services.h"
#include "broker/controller/metadata_log.h"
#include "protocol/error_code.h"
#include "protocol/generated/describe_log_dirs.h"
#include "storage/log/partition_log.h"
#include "storage/manager/log_manager.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using request_t = protocol::describe_log_dirs_request;
using response_t = protocol::describe_log_dirs_response;

std::string absolute_path(const std::string& p) {
  std::error_code ec;
  auto a = std::filesystem::absolute(p, ec);
  return (ec ? std::filesystem::path(p) : a).lexically_normal().string();
}

// Requested partitions, or nullopt for all (null topics).
std::optional<std::set<storage::topic_partition>> requested(const request_t& request) {
  if (!request.topics) return std::nullopt;
  std::set<storage::topic_partition> out;
  for (const auto& t : *request.topics)
    for (int32_t p : t.partitions) out.insert({t.topic, p});
  return out;
}

response_t::DescribeLogDirsResult describe_dir(const std::string& dir,
                                               const std::vector<std::shared_ptr<storage::partition_log>>& logs,
                                               const std::optional<std::set<storage::topic_partition>>& wanted) {
  response_t::DescribeLogDirsResult out;
  out.log_dir = dir;
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0) {
    out.error_code = static_cast<int16_t>(error_code::kafka_storage_error);
    out.total_bytes = -1;
    out.usable_bytes = -1;
    return out;
  }
  out.total_bytes = static_cast<int64_t>(fs.f_blocks) * static_cast<int64_t>(fs.f_frsize);
  out.usable_bytes = static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
  std::map<std::string, std::vector<response_t::DescribeLogDirsPartition>> by_topic;
  for (const auto& log : logs) {
    if (wanted && !wanted->contains(log->tp())) continue;
    response_t::DescribeLogDirsPartition p;
    p.partition_index = log->tp().partition;
    p.partition_size = static_cast<int64_t>(log->size_bytes());
    p.offset_lag = std::max<int64_t>(log->high_watermark().value() - log->log_end_offset().value(), 0);
    p.is_future_key = false;
    by_topic[log->tp().topic].push_back(p);
  }
  for (auto& [name, partitions] : by_topic) {
    std::sort(partitions.begin(), partitions.end(),
              [](const auto& a, const auto& b) { return a.partition_index < b.partition_index; });
    auto& t = out.topics.emplace_back();
    t.name = name;
    t.partitions = std::move(partitions);
  }
  return out;
}

}  // namespace

void handle_describe_log_dirs(request_context&& ctx) {
  request_t request;
  if (!ctx.decode(request)) return;
  storage::log_manager& logs = *ctx.services().logs;
  const auto wanted = requested(request);

  // Each log under the directory that holds it.
  std::map<std::string, std::vector<std::shared_ptr<storage::partition_log>>> by_dir;
  for (auto& log : logs.all_logs()) {
    // Kafka's metadata log belongs to the Raft layer, not the LogManager, and
    // is never listed; ours shares the log manager.
    if (log->closed() || log->tp().topic == cluster_metadata_topic) continue;
    by_dir[absolute_path(std::filesystem::path(log->dir()).parent_path().string())].push_back(log);
  }
  response_t out;
  std::set<std::string> done;
  for (const auto& d : logs.log_dirs()) {
    const std::string dir = absolute_path(d);
    if (!done.insert(dir).second) continue;
    out.results.push_back(describe_dir(dir, by_dir[dir], wanted));
  }
  ctx.respond(out);
}

}  // namespace samsa::broker
