#include "broker/groups/consumer_offsets_records.h"

namespace samsa::broker::groups {
namespace {

constexpr int16_t kOffsetCommitKeyVersion = 1;
constexpr int16_t kGroupMetadataKeyVersion = 2;

// Big-endian, non-flexible encoding (Kafka's non-flexible message versions).
class out_bytes {
 public:
  void i16(int16_t v) { fixed(static_cast<uint16_t>(v)); }
  void i32(int32_t v) { fixed(static_cast<uint32_t>(v)); }
  void i64(int64_t v) { fixed(static_cast<uint64_t>(v)); }
  void str(const std::string& s) {
    i16(static_cast<int16_t>(s.size()));
    b_.insert(b_.end(), s.begin(), s.end());
  }
  void nullable_str(const std::optional<std::string>& s) {
    if (!s) return i16(-1);
    str(*s);
  }
  void bytes(const std::vector<uint8_t>& v) {
    i32(static_cast<int32_t>(v.size()));
    b_.insert(b_.end(), v.begin(), v.end());
  }
  std::vector<uint8_t> take() { return std::move(b_); }

 private:
  template <typename T>
  void fixed(T v) {
    for (int i = sizeof(T) - 1; i >= 0; --i) b_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> b_;
};

class in_bytes {
 public:
  explicit in_bytes(std::span<const uint8_t> b) : b_(b) {}
  bool ok() const { return ok_; }
  int16_t i16() { return static_cast<int16_t>(fixed<uint16_t>()); }
  int32_t i32() { return static_cast<int32_t>(fixed<uint32_t>()); }
  int64_t i64() { return static_cast<int64_t>(fixed<uint64_t>()); }
  std::optional<std::string> nullable_str() {
    int16_t n = i16();
    if (n < 0) return std::nullopt;
    return take_string(static_cast<size_t>(n));
  }
  std::string str() {
    int16_t n = i16();
    if (n < 0) {
      ok_ = false;
      return {};
    }
    return take_string(static_cast<size_t>(n));
  }
  std::vector<uint8_t> bytes() {
    int32_t n = i32();
    if (n < 0 || !need(static_cast<size_t>(n))) return {};
    std::vector<uint8_t> out(b_.begin() + pos_, b_.begin() + pos_ + n);
    pos_ += static_cast<size_t>(n);
    return out;
  }

 private:
  bool need(size_t n) {
    if (!ok_ || b_.size() - pos_ < n) ok_ = false;
    return ok_;
  }
  std::string take_string(size_t n) {
    if (!need(n)) return {};
    std::string s(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  template <typename T>
  T fixed() {
    if (!need(sizeof(T))) return 0;
    T v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v = static_cast<T>((v << 8) | b_[pos_ + i]);
    pos_ += sizeof(T);
    return v;
  }
  std::span<const uint8_t> b_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

std::vector<uint8_t> encode_key(const offset_commit_key& k) {
  out_bytes o;
  o.i16(kOffsetCommitKeyVersion);
  o.str(k.group);
  o.str(k.topic);
  o.i32(k.partition);
  return o.take();
}

std::vector<uint8_t> encode_key(const group_metadata_key& k) {
  out_bytes o;
  o.i16(kGroupMetadataKeyVersion);
  o.str(k.group);
  return o.take();
}

std::vector<uint8_t> encode_value(const offset_commit_value& v) {
  out_bytes o;
  if (v.expire_timestamp_ms) {
    o.i16(1);
    o.i64(v.offset);
    o.str(v.metadata);
    o.i64(v.commit_timestamp_ms);
    o.i64(*v.expire_timestamp_ms);
    return o.take();
  }
  o.i16(3);
  o.i64(v.offset);
  o.i32(v.leader_epoch);
  o.str(v.metadata);
  o.i64(v.commit_timestamp_ms);
  return o.take();
}

std::vector<uint8_t> encode_value(const group_metadata_value& v) {
  out_bytes o;
  o.i16(3);
  o.str(v.protocol_type);
  o.i32(v.generation);
  o.nullable_str(v.protocol);
  o.nullable_str(v.leader);
  o.i64(v.current_state_timestamp_ms);
  o.i32(static_cast<int32_t>(v.members.size()));
  for (const auto& m : v.members) {
    o.str(m.member_id);
    o.nullable_str(m.group_instance_id);
    o.str(m.client_id);
    o.str(m.client_host);
    o.i32(m.rebalance_timeout_ms);
    o.i32(m.session_timeout_ms);
    o.bytes(m.subscription);
    o.bytes(m.assignment);
  }
  return o.take();
}

std::optional<record_key> decode_key(std::span<const uint8_t> bytes) {
  in_bytes in(bytes);
  const int16_t version = in.i16();
  if (!in.ok()) return std::nullopt;
  if (version == 0 || version == 1) {
    offset_commit_key k;
    k.group = in.str();
    k.topic = in.str();
    k.partition = in.i32();
    if (!in.ok()) return std::nullopt;
    return k;
  }
  if (version == 2) {
    group_metadata_key k;
    k.group = in.str();
    if (!in.ok()) return std::nullopt;
    return k;
  }
  return std::nullopt;  // consumer-protocol, share or streams records
}

std::optional<offset_commit_value> decode_offset_commit_value(std::span<const uint8_t> bytes) {
  in_bytes in(bytes);
  const int16_t version = in.i16();
  if (!in.ok() || version < 0 || version > 3) return std::nullopt;
  offset_commit_value v;
  v.offset = in.i64();
  if (version >= 3) v.leader_epoch = in.i32();
  v.metadata = in.str();
  v.commit_timestamp_ms = in.i64();
  if (version == 1) v.expire_timestamp_ms = in.i64();
  if (!in.ok()) return std::nullopt;
  return v;
}

std::optional<group_metadata_value> decode_group_metadata_value(std::span<const uint8_t> bytes) {
  in_bytes in(bytes);
  const int16_t version = in.i16();
  if (!in.ok() || version < 0 || version > 3) return std::nullopt;
  group_metadata_value v;
  v.protocol_type = in.str();
  v.generation = in.i32();
  v.protocol = in.nullable_str();
  v.leader = in.nullable_str();
  if (version >= 2) v.current_state_timestamp_ms = in.i64();
  const int32_t n = in.i32();
  if (!in.ok() || n < 0) return std::nullopt;
  for (int32_t i = 0; i < n && in.ok(); ++i) {
    group_member_record m;
    m.member_id = in.str();
    if (version >= 3) m.group_instance_id = in.nullable_str();
    m.client_id = in.str();
    m.client_host = in.str();
    if (version >= 1) m.rebalance_timeout_ms = in.i32();
    m.session_timeout_ms = in.i32();
    m.subscription = in.bytes();
    m.assignment = in.bytes();
    v.members.push_back(std::move(m));
  }
  if (!in.ok()) return std::nullopt;
  return v;
}

}  // namespace samsa::broker::groups
