#include "storage/log/file_names.h"

#include <charconv>
#include <cstdio>

#include "storage/io/file_system.h"

namespace samsa::storage {

std::string offset_file_stem(samsa::offset base) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(base.value()));
  return buf;
}

std::string segment_path(const std::string& dir, samsa::offset base, std::string_view suffix,
                         std::string_view extra) {
  std::string name = offset_file_stem(base);
  name.append(suffix);
  name.append(extra);
  return io::join(dir, name);
}

std::optional<samsa::offset> offset_from_file_name(std::string_view name) {
  if (name.size() < 20) return std::nullopt;
  int64_t v = 0;
  const char* b = name.data();
  auto [p, ec] = std::from_chars(b, b + 20, v);
  if (ec != std::errc() || p != b + 20 || v < 0) return std::nullopt;
  return samsa::offset{v};
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::optional<topic_partition> parse_partition_dir_name(std::string_view name) {
  const size_t dash = name.find_last_of('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 >= name.size()) return std::nullopt;
  int32_t p = 0;
  const char* b = name.data() + dash + 1;
  const char* e = name.data() + name.size();
  auto [ptr, ec] = std::from_chars(b, e, p);
  if (ec != std::errc() || ptr != e || p < 0) return std::nullopt;
  return topic_partition{std::string(name.substr(0, dash)), p};
}

}  // namespace samsa::storage
