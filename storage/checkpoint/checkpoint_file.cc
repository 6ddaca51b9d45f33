#include "storage/checkpoint/checkpoint_file.h"

#include <charconv>

namespace samsa::storage {

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find('\n', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view line = text.substr(i, j - i);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    i = j + 1;
  }
  return lines;
}

std::vector<std::string_view> split_spaces(std::string_view line) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ') ++j;
    if (j > i) parts.push_back(line.substr(i, j - i));
    i = j;
  }
  return parts;
}

template <typename T>
bool parse_int(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

error malformed(std::string_view what) { return error(errc::corrupt_file, "malformed checkpoint: " + std::string(what)); }

result<std::string> read_text(io::file_system& fs, const std::string& path) {
  auto bytes = io::read_file(fs, path);
  if (!bytes) return bytes.error();
  return std::string(bytes->begin(), bytes->end());
}

}  // namespace

std::string encode_checkpoint(int32_t version, const std::vector<std::string>& entries) {
  std::string out = std::to_string(version) + "\n" + std::to_string(entries.size()) + "\n";
  for (const std::string& e : entries) out += e + "\n";
  return out;
}

result<std::vector<std::string>> decode_checkpoint(std::string_view text, int32_t version) {
  std::vector<std::string_view> lines = split_lines(text);
  if (lines.empty()) return std::vector<std::string>();
  int32_t v = 0;
  if (!parse_int(lines[0], v)) return malformed(lines[0]);
  if (v != version) return error(errc::corrupt_file, "unrecognised checkpoint version " + std::to_string(v));
  if (lines.size() < 2) return std::vector<std::string>();
  int32_t count = 0;
  if (!parse_int(lines[1], count) || count < 0) return malformed(lines[1]);
  std::vector<std::string> entries;
  for (size_t i = 2; i < lines.size(); ++i) entries.emplace_back(lines[i]);
  if (entries.size() != static_cast<size_t>(count)) {
    return error(errc::corrupt_file, "expected " + std::to_string(count) + " checkpoint entries, found " +
                                         std::to_string(entries.size()));
  }
  return entries;
}

result<offset_checkpoint_map> read_offset_checkpoint(io::file_system& fs, const std::string& path) {
  auto text = read_text(fs, path);
  if (!text) {
    if (text.code() == errc::not_found) return offset_checkpoint_map();
    return text.error();
  }
  auto entries = decode_checkpoint(*text, 0);
  if (!entries) return entries.error();
  offset_checkpoint_map out;
  for (const std::string& e : *entries) {
    auto parts = split_spaces(e);
    int32_t partition = 0;
    int64_t off = 0;
    if (parts.size() != 3 || !parse_int(parts[1], partition) || !parse_int(parts[2], off)) return malformed(e);
    out[topic_partition{std::string(parts[0]), partition}] = off;
  }
  return out;
}

status write_offset_checkpoint(io::file_system& fs, const std::string& path, const offset_checkpoint_map& offsets) {
  std::vector<std::string> entries;
  entries.reserve(offsets.size());
  for (const auto& [tp, off] : offsets) {
    entries.push_back(tp.topic + " " + std::to_string(tp.partition) + " " + std::to_string(off));
  }
  const std::string text = encode_checkpoint(0, entries);
  return io::write_file_atomically(
      fs, path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

result<std::vector<epoch_entry>> read_leader_epoch_checkpoint(io::file_system& fs, const std::string& path) {
  auto text = read_text(fs, path);
  if (!text) {
    if (text.code() == errc::not_found) return std::vector<epoch_entry>();
    return text.error();
  }
  auto entries = decode_checkpoint(*text, 0);
  if (!entries) return entries.error();
  std::vector<epoch_entry> out;
  for (const std::string& e : *entries) {
    auto parts = split_spaces(e);
    int32_t epoch = 0;
    int64_t start = 0;
    if (parts.size() != 2 || !parse_int(parts[0], epoch) || !parse_int(parts[1], start)) return malformed(e);
    out.push_back({samsa::leader_epoch{epoch}, samsa::offset{start}});
  }
  return out;
}

std::string encode_leader_epoch_checkpoint(const std::vector<epoch_entry>& entries) {
  std::vector<std::string> lines;
  lines.reserve(entries.size());
  for (const epoch_entry& e : entries) {
    lines.push_back(std::to_string(e.epoch.value()) + " " + std::to_string(e.start_offset.value()));
  }
  return encode_checkpoint(0, lines);
}

status write_clean_shutdown_marker(io::file_system& fs, const std::string& log_dir, int64_t broker_epoch) {
  const std::string text = "{\"version\":0,\"brokerEpoch\":" + std::to_string(broker_epoch) + "}";
  return io::write_file_atomically(fs, io::join(log_dir, std::string(kCleanShutdownMarker)),
                                   std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

std::optional<int64_t> read_clean_shutdown_marker(io::file_system& fs, const std::string& log_dir) {
  auto text = read_text(fs, io::join(log_dir, std::string(kCleanShutdownMarker)));
  if (!text) return std::nullopt;
  const std::string key = "\"brokerEpoch\":";
  const size_t at = text->find(key);
  if (at == std::string::npos) return std::nullopt;
  size_t i = at + key.size();
  while (i < text->size() && (*text)[i] == ' ') ++i;
  size_t j = i;
  while (j < text->size() && ((*text)[j] == '-' || ((*text)[j] >= '0' && (*text)[j] <= '9'))) ++j;
  int64_t epoch = 0;
  if (!parse_int(std::string_view(*text).substr(i, j - i), epoch)) return std::nullopt;
  return epoch;
}

}  // namespace samsa::storage
