#include "broker/cluster/meta_properties.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

namespace samsa::broker {
namespace {

namespace fs = std::filesystem;

std::optional<std::map<std::string, std::string>> read_properties(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

// Writes through a temporary file, fsyncs it and renames it into place, then
// fsyncs the directory: the file is either the old one or the complete new one.
bool write_file_durably(const fs::path& path, const std::string& content, std::string& error) {
  fs::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return error = "cannot create " + tmp.string() + ": " + std::strerror(errno), false;
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) return error = "cannot write " + path.string(), false;
  int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

}  // namespace

std::string random_kafka_id() {
  std::random_device rd;
  uuid u;
  for (auto& b : u.bytes) b = static_cast<uint8_t>(rd());
  // Kafka avoids ids whose base64 starts with '-' (Uuid.randomUuid), since such an
  // id looks like a command-line flag.
  while (u.to_base64()[0] == '-')
    for (auto& b : u.bytes) b = static_cast<uint8_t>(rd());
  return u.to_base64();
}

ensemble_result load_or_format_log_dirs(const std::vector<std::string>& log_dirs, int32_t node_id) {
  ensemble_result result;
  std::vector<fs::path> missing;
  for (const auto& dir : log_dirs) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      result.error = meta_properties_error{"cannot create log directory " + dir + ": " + ec.message()};
      return result;
    }
    fs::path file = fs::path(dir) / "meta.properties";
    auto props = read_properties(file);
    if (!props) {
      missing.push_back(file);
      continue;
    }
    auto cluster = props->find("cluster.id");
    auto node = props->find("node.id");
    if (cluster == props->end() || node == props->end()) {
      result.error = meta_properties_error{file.string() + " lacks cluster.id or node.id"};
      return result;
    }
    if (node->second != std::to_string(node_id)) {
      result.error = meta_properties_error{"Stored node id " + node->second + " in " + file.string() +
                                           " doesn't match the configured node.id " + std::to_string(node_id)};
      return result;
    }
    if (!result.cluster_id.empty() && result.cluster_id != cluster->second) {
      result.error = meta_properties_error{"log directories disagree on cluster.id: " + result.cluster_id + " and " +
                                           cluster->second + " (" + file.string() + ")"};
      return result;
    }
    result.cluster_id = cluster->second;
  }
  if (result.cluster_id.empty()) result.cluster_id = random_kafka_id();
  for (const auto& file : missing) {
    std::ostringstream content;
    content << "#\n#Written by Samsa\nnode.id=" << node_id << "\ndirectory.id=" << random_kafka_id()
            << "\nversion=1\ncluster.id=" << result.cluster_id << "\n";
    std::string error;
    if (!write_file_durably(file, content.str(), error)) {
      result.error = meta_properties_error{error};
      return result;
    }
  }
  return result;
}

}  // namespace samsa::broker
