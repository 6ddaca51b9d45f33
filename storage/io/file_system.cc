#include "storage/io/file_system.h"

namespace samsa::storage::io {

std::string parent_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return "";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

result<std::vector<uint8_t>> read_file(file_system& fs, const std::string& path) {
  auto f = fs.open(path, open_mode::read_only);
  if (!f) return f.error();
  auto size = (*f)->size();
  if (!size) return size.error();
  std::vector<uint8_t> out(*size);
  auto n = (*f)->pread(0, out);
  if (!n) return n.error();
  out.resize(*n);
  return out;
}

status write_file_atomically(file_system& fs, const std::string& path, std::span<const uint8_t> data) {
  const std::string tmp = path + ".tmp";
  auto f = fs.open(tmp, open_mode::create_truncate);
  if (!f) return f.error();
  if (auto s = (*f)->pwrite(0, data); !s) return s;
  if (auto s = (*f)->sync(); !s) return s;
  if (auto s = fs.rename(tmp, path); !s) return s;
  return fs.sync_dir(parent_of(path));
}

status pread_exact(const file& f, uint64_t offset, std::span<uint8_t> out) {
  auto n = f.pread(offset, out);
  if (!n) return n.error();
  if (*n != out.size()) {
    return error(errc::corrupt_file, "short read at " + std::to_string(offset) + ": wanted " +
                                         std::to_string(out.size()) + ", got " + std::to_string(*n));
  }
  return {};
}

}  // namespace samsa::storage::io
