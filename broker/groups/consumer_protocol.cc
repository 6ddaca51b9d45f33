// The embedded consumer protocol (see consumer_protocol.h).
#include "broker/groups/consumer_protocol.h"

#include <algorithm>

#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace samsa::broker::groups {
namespace {

using protocol::reader;
using protocol::writer;

named_partitions read_topic_partitions(reader& r) {
  named_partitions out;
  const int32_t n = r.read_array_length(false, false, 6);
  for (int32_t i = 0; i < n && r.ok(); ++i) {
    std::string topic;
    r.read_string(topic, false);
    const int32_t np = r.read_array_length(false, false, 4);
    auto& ps = out[topic];
    for (int32_t j = 0; j < np && r.ok(); ++j) ps.insert(r.read_int32());
  }
  return out;
}

}  // namespace

std::optional<consumer_subscription> parse_consumer_subscription(std::span<const uint8_t> bytes) {
  reader r(bytes);
  consumer_subscription s;
  s.version = r.read_int16();
  const int32_t n = r.read_array_length(false, false, 2);
  for (int32_t i = 0; i < n && r.ok(); ++i) r.read_string(s.topics.emplace_back(), false);
  std::optional<std::vector<uint8_t>> user_data;
  r.read_bytes(user_data, false, true);
  if (s.version >= 1) s.owned_partitions = read_topic_partitions(r);
  if (s.version >= 2) s.generation_id = r.read_int32();
  if (s.version >= 3) r.read_string(s.rack_id, false, true);
  if (!r.ok()) return std::nullopt;
  return s;
}

std::optional<named_partitions> parse_consumer_assignment(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return named_partitions{};  // a member given nothing yet
  reader r(bytes);
  r.read_int16();
  named_partitions out = read_topic_partitions(r);
  if (!r.ok()) return std::nullopt;
  return out;
}

std::vector<uint8_t> serialize_consumer_assignment(const named_partitions& a, int16_t version) {
  protocol::encoded_message m;
  {
    writer w(m, 64);
    w.write_int16(std::clamp<int16_t>(version, 0, 3));
    w.write_length(a.size(), false, false);
    for (const auto& [topic, ps] : a) {
      w.write_string(topic, false);
      w.write_length(ps.size(), false, false);
      for (int32_t p : ps) w.write_int32(p);
    }
    w.write_null_length(false, false);  // UserData: null
    w.finish();
  }
  return std::vector<uint8_t>(m.bytes.begin(), m.bytes.end());
}

int16_t consumer_protocol_version(std::span<const uint8_t> bytes) {
  if (bytes.size() < 2) return 0;
  return static_cast<int16_t>(bytes[0] << 8 | bytes[1]);
}

}  // namespace samsa::broker::groups
