// Encoding of the consumer group records (see consumer_group_records.h).
#include "broker/groups/consumer_group_records.h"

#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace samsa::broker::groups {
namespace {

using protocol::reader;
using protocol::writer;

constexpr int16_t kValueVersion = 0;

std::vector<uint8_t> bytes_of(protocol::encoded_message& m) { return std::vector<uint8_t>(m.bytes.begin(), m.bytes.end()); }

template <typename F>
std::vector<uint8_t> encode(F&& body) {
  protocol::encoded_message m;
  {
    writer w(m, 64);
    body(w);
    w.finish();
  }
  return bytes_of(m);
}

void write_value_header(writer& w) { w.write_int16(kValueVersion); }
void write_no_tags(writer& w) { w.write_uvarint(0); }

void write_topic_partitions(writer& w, const topic_assignment& a) {
  w.write_length(a.size(), true, false);
  for (const auto& [t, ps] : a) {
    w.write_uuid(t);
    w.write_length(ps.size(), true, false);
    for (int32_t p : ps) w.write_int32(p);
    write_no_tags(w);
  }
}

// Skips a tagged-field section (fields later Kafka versions add).
void skip_tags(reader& r) {
  const uint32_t n = r.read_tag_count();
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    r.read_uvarint();
    const uint32_t size = r.read_uvarint();
    r.read_span(size);
  }
}

bool read_value_header(reader& r) { return r.read_int16() == kValueVersion && r.ok(); }

topic_assignment read_topic_partitions(reader& r) {
  topic_assignment out;
  const int32_t n = r.read_array_length(true, false, 17);
  for (int32_t i = 0; i < n && r.ok(); ++i) {
    const uuid t = r.read_uuid();
    const int32_t np = r.read_array_length(true, false, 4);
    auto& ps = out[t];
    for (int32_t j = 0; j < np && r.ok(); ++j) ps.insert(r.read_int32());
    skip_tags(r);
  }
  return out;
}

bool has_member_id(consumer_record_type t) {
  return t == consumer_record_type::member_metadata || t == consumer_record_type::target_assignment_member ||
         t == consumer_record_type::current_member_assignment;
}

}  // namespace

std::vector<uint8_t> encode_consumer_key(const consumer_record_key& k) {
  return encode([&](writer& w) {
    w.write_int16(static_cast<int16_t>(k.type));
    w.write_string(k.group_id, false);
    if (has_member_id(k.type)) w.write_string(k.member_id, false);
    if (k.type == consumer_record_type::regular_expression) w.write_string(k.regex, false);
  });
}

std::optional<consumer_record_key> decode_consumer_key(std::span<const uint8_t> bytes) {
  reader r(bytes);
  const int16_t type = r.read_int16();
  if (!r.ok() || ((type < 3 || type > 8) && type != 16)) return std::nullopt;
  consumer_record_key k;
  k.type = static_cast<consumer_record_type>(type);
  r.read_string(k.group_id, false);
  if (has_member_id(k.type)) r.read_string(k.member_id, false);
  if (k.type == consumer_record_type::regular_expression) r.read_string(k.regex, false);
  if (!r.ok()) return std::nullopt;
  return k;
}

std::vector<uint8_t> encode_group_epoch_value(int32_t epoch) {
  return encode([&](writer& w) {
    write_value_header(w);
    w.write_int32(epoch);
    write_no_tags(w);
  });
}

std::vector<uint8_t> encode_assignment_epoch_value(int32_t epoch) { return encode_group_epoch_value(epoch); }

std::vector<uint8_t> encode_partition_metadata_value(const std::map<std::string, subscribed_topic>& topics) {
  return encode([&](writer& w) {
    write_value_header(w);
    w.write_length(topics.size(), true, false);
    for (const auto& [name, t] : topics) {
      w.write_uuid(t.id);
      w.write_string(name, true);
      w.write_int32(t.num_partitions);
      w.write_length(0, true, false);  // PartitionMetadata (racks): none known
      write_no_tags(w);
    }
    write_no_tags(w);
  });
}

std::vector<uint8_t> encode_member_metadata_value(const consumer_member& m) {
  return encode([&](writer& w) {
    write_value_header(w);
    w.write_string(m.instance_id, true, true);
    w.write_string(m.rack_id, true, true);
    w.write_string(m.client_id, true);
    w.write_string(m.client_host, true);
    w.write_length(m.subscribed_topic_names.size(), true, false);
    for (const auto& t : m.subscribed_topic_names) w.write_string(t, true);
    w.write_string(m.subscribed_topic_regex, true, true);
    w.write_int32(m.rebalance_timeout_ms);
    w.write_string(m.server_assignor, true, true);
    if (!m.classic) {
      write_no_tags(w);
    } else {
      // Tagged field 0, ClassicMemberMetadata: a nullable struct, so a
      // leading 1 (present), then its fields.
      protocol::encoded_message body;
      {
        writer b(body, 64);
        b.write_int8(1);
        b.write_int32(m.classic->session_timeout_ms);
        b.write_length(m.classic->supported_protocols.size(), true, false);
        for (const auto& p : m.classic->supported_protocols) {
          b.write_string(p.name, true);
          b.write_bytes(p.metadata, true);
          write_no_tags(b);
        }
        write_no_tags(b);
        b.finish();
      }
      w.write_uvarint(1);
      w.write_uvarint(0);
      w.write_uvarint(static_cast<uint32_t>(body.bytes.size()));
      w.write_raw(body.bytes.data(), body.bytes.size());
    }
  });
}

std::vector<uint8_t> encode_target_member_value(const topic_assignment& a) {
  return encode([&](writer& w) {
    write_value_header(w);
    write_topic_partitions(w, a);
    write_no_tags(w);
  });
}

std::vector<uint8_t> encode_current_assignment_value(const consumer_member& m) {
  return encode([&](writer& w) {
    write_value_header(w);
    w.write_int32(m.member_epoch);
    w.write_int32(m.previous_member_epoch);
    w.write_int8(static_cast<int8_t>(m.state));
    write_topic_partitions(w, m.assigned_partitions);
    write_topic_partitions(w, m.partitions_pending_revocation);
    write_no_tags(w);
  });
}

std::optional<int32_t> decode_epoch_value(std::span<const uint8_t> bytes) {
  reader r(bytes);
  if (!read_value_header(r)) return std::nullopt;
  const int32_t e = r.read_int32();
  skip_tags(r);
  if (!r.ok()) return std::nullopt;
  return e;
}

std::optional<std::map<std::string, subscribed_topic>> decode_partition_metadata_value(std::span<const uint8_t> bytes) {
  reader r(bytes);
  if (!read_value_header(r)) return std::nullopt;
  std::map<std::string, subscribed_topic> out;
  const int32_t n = r.read_array_length(true, false, 22);
  for (int32_t i = 0; i < n && r.ok(); ++i) {
    subscribed_topic t;
    t.id = r.read_uuid();
    std::string name;
    r.read_string(name, true);
    t.num_partitions = r.read_int32();
    const int32_t racks = r.read_array_length(true, false, 6);
    for (int32_t j = 0; j < racks && r.ok(); ++j) {
      r.read_int32();
      const int32_t nr = r.read_array_length(true, false, 1);
      for (int32_t k = 0; k < nr && r.ok(); ++k) {
        std::string rack;
        r.read_string(rack, true);
      }
      skip_tags(r);
    }
    skip_tags(r);
    out[name] = t;
  }
  skip_tags(r);
  if (!r.ok()) return std::nullopt;
  return out;
}

bool decode_member_metadata_value(std::span<const uint8_t> bytes, consumer_member& m) {
  reader r(bytes);
  if (!read_value_header(r)) return false;
  r.read_string(m.instance_id, true, true);
  r.read_string(m.rack_id, true, true);
  r.read_string(m.client_id, true);
  r.read_string(m.client_host, true);
  const int32_t n = r.read_array_length(true, false, 1);
  m.subscribed_topic_names.clear();
  for (int32_t i = 0; i < n && r.ok(); ++i) r.read_string(m.subscribed_topic_names.emplace_back(), true);
  r.read_string(m.subscribed_topic_regex, true, true);
  m.rebalance_timeout_ms = r.read_int32();
  r.read_string(m.server_assignor, true, true);
  m.classic.reset();
  const uint32_t tags = r.read_tag_count();
  for (uint32_t i = 0; i < tags && r.ok(); ++i) {
    const uint32_t tag = r.read_uvarint();
    const uint32_t size = r.read_uvarint();
    reader t = r.sub_reader(size);
    if (tag != 0 || !r.ok()) continue;  // tags of later versions
    if (t.read_int8() != 1) continue;   // null
    classic_member_metadata c;
    c.session_timeout_ms = t.read_int32();
    const int32_t n = t.read_array_length(true, false, 3);
    for (int32_t j = 0; j < n && t.ok(); ++j) {
      classic_protocol p;
      t.read_string(p.name, true);
      t.read_bytes(p.metadata, true);
      skip_tags(t);
      c.supported_protocols.push_back(std::move(p));
    }
    skip_tags(t);
    if (t.ok()) m.classic = std::move(c);
  }
  return r.ok();
}

std::optional<topic_assignment> decode_target_member_value(std::span<const uint8_t> bytes) {
  reader r(bytes);
  if (!read_value_header(r)) return std::nullopt;
  topic_assignment a = read_topic_partitions(r);
  skip_tags(r);
  if (!r.ok()) return std::nullopt;
  return a;
}

bool decode_current_assignment_value(std::span<const uint8_t> bytes, consumer_member& m) {
  reader r(bytes);
  if (!read_value_header(r)) return false;
  m.member_epoch = r.read_int32();
  m.previous_member_epoch = r.read_int32();
  const int8_t s = r.read_int8();
  m.state = s >= 0 && s <= 2 ? static_cast<member_state>(s) : member_state::unknown;
  m.assigned_partitions = read_topic_partitions(r);
  m.partitions_pending_revocation = read_topic_partitions(r);
  skip_tags(r);
  return r.ok();
}

std::vector<uint8_t> encode_regex_value(const resolved_regex& v) {
  return encode([&](writer& w) {
    write_value_header(w);
    w.write_length(v.topics.size(), true, false);
    for (const auto& t : v.topics) w.write_string(t, true);
    w.write_int64(v.version);
    w.write_int64(v.timestamp_ms);
    write_no_tags(w);
  });
}

std::optional<resolved_regex> decode_regex_value(std::span<const uint8_t> bytes) {
  reader r(bytes);
  if (!read_value_header(r)) return std::nullopt;
  resolved_regex v;
  const int32_t n = r.read_array_length(true, false, 1);
  for (int32_t i = 0; i < n && r.ok(); ++i) {
    std::string t;
    r.read_string(t, true);
    v.topics.insert(std::move(t));
  }
  v.version = r.read_int64();
  v.timestamp_ms = r.read_int64();
  skip_tags(r);
  if (!r.ok()) return std::nullopt;
  return v;
}

}  // namespace samsa::broker::groups
