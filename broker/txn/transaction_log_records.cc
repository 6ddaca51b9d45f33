#include "broker/txn/transaction_log_records.h"

namespace samsa::broker::txn {
namespace {

constexpr int16_t kTransactionLogRecordType = 0;

class out_bytes {
 public:
  void i8(int8_t v) { b_.push_back(static_cast<uint8_t>(v)); }
  void i16(int16_t v) { fixed(static_cast<uint16_t>(v)); }
  void i32(int32_t v) { fixed(static_cast<uint32_t>(v)); }
  void i64(int64_t v) { fixed(static_cast<uint64_t>(v)); }
  void str(const std::string& s) {
    i16(static_cast<int16_t>(s.size()));
    b_.insert(b_.end(), s.begin(), s.end());
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
  bool at_end() const { return pos_ == b_.size(); }
  int8_t i8() { return static_cast<int8_t>(fixed<uint8_t>()); }
  int16_t i16() { return static_cast<int16_t>(fixed<uint16_t>()); }
  int32_t i32() { return static_cast<int32_t>(fixed<uint32_t>()); }
  int64_t i64() { return static_cast<int64_t>(fixed<uint64_t>()); }
  uint32_t uvarint() {
    uint32_t v = 0;
    for (int shift = 0; shift <= 28; shift += 7) {
      const uint8_t b = fixed<uint8_t>();
      if (!ok_) return 0;
      v |= static_cast<uint32_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    ok_ = false;
    return 0;
  }
  std::string str(size_t n) {
    if (!need(n)) return {};
    std::string s(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  void skip(size_t n) {
    if (need(n)) pos_ += n;
  }

 private:
  bool need(size_t n) {
    if (!ok_ || b_.size() - pos_ < n) ok_ = false;
    return ok_;
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

// TransactionLogValue v1's tagged fields (MessageUtil's flexible format).
void read_tagged_fields(in_bytes& in, txn_log_value& v) {
  const uint32_t n = in.uvarint();
  for (uint32_t i = 0; i < n && in.ok(); ++i) {
    const uint32_t tag = in.uvarint();
    const uint32_t size = in.uvarint();
    if (tag == 0 && size == 8) v.previous_producer_id = in.i64();
    else if (tag == 1 && size == 8) v.next_producer_id = in.i64();
    else if (tag == 2 && size == 2) v.client_transaction_version = in.i16();
    else in.skip(size);
  }
}

}  // namespace

std::vector<uint8_t> encode_txn_key(const std::string& transactional_id) {
  out_bytes o;
  o.i16(kTransactionLogRecordType);
  o.str(transactional_id);
  return o.take();
}

std::vector<uint8_t> encode_txn_value(const txn_log_value& v) {
  out_bytes o;
  o.i16(0);
  o.i64(v.producer_id);
  o.i16(v.producer_epoch);
  o.i32(v.transaction_timeout_ms);
  o.i8(static_cast<int8_t>(v.state));
  if (v.state == txn_state::empty) {
    o.i32(-1);
  } else {
    o.i32(static_cast<int32_t>(v.partitions.size()));
    for (const auto& [topic, ids] : v.partitions) {
      o.str(topic);
      o.i32(static_cast<int32_t>(ids.size()));
      for (int32_t p : ids) o.i32(p);
    }
  }
  o.i64(v.last_update_timestamp_ms);
  o.i64(v.start_timestamp_ms);
  return o.take();
}

std::optional<std::string> decode_txn_key(std::span<const uint8_t> bytes) {
  in_bytes in(bytes);
  const int16_t type = in.i16();
  if (!in.ok() || type != kTransactionLogRecordType) return std::nullopt;
  const int16_t n = in.i16();
  if (!in.ok() || n < 0) return std::nullopt;
  std::string id = in.str(static_cast<size_t>(n));
  if (!in.ok()) return std::nullopt;
  return id;
}

std::optional<txn_log_value> decode_txn_value(std::span<const uint8_t> bytes) {
  in_bytes in(bytes);
  const int16_t version = in.i16();
  if (!in.ok() || version < 0 || version > 1) return std::nullopt;
  const bool flexible = version >= 1;
  txn_log_value v;
  v.producer_id = in.i64();
  v.producer_epoch = in.i16();
  v.transaction_timeout_ms = in.i32();
  auto state = txn_state_from_id(in.i8());
  if (!in.ok() || !state) return std::nullopt;
  v.state = *state;
  // Array lengths: int32 (-1 null) in v0, unsigned varint length + 1 (0 null) in v1.
  auto array_length = [&]() -> int64_t {
    if (!flexible) return in.i32();
    return static_cast<int64_t>(in.uvarint()) - 1;
  };
  auto string_length = [&]() -> int64_t {
    if (!flexible) return in.i16();
    return static_cast<int64_t>(in.uvarint()) - 1;
  };
  const int64_t topics = array_length();
  for (int64_t t = 0; in.ok() && t < topics; ++t) {
    const int64_t len = string_length();
    if (len < 0) return std::nullopt;
    std::string topic = in.str(static_cast<size_t>(len));
    const int64_t count = array_length();
    if (count < 0) return std::nullopt;
    std::vector<int32_t> ids;
    for (int64_t i = 0; in.ok() && i < count; ++i) ids.push_back(in.i32());
    if (flexible) {
      txn_log_value ignored;
      read_tagged_fields(in, ignored);
    }
    v.partitions.emplace_back(std::move(topic), std::move(ids));
  }
  v.last_update_timestamp_ms = in.i64();
  v.start_timestamp_ms = in.i64();
  if (flexible) read_tagged_fields(in, v);
  if (!in.ok()) return std::nullopt;
  return v;
}

}  // namespace samsa::broker::txn
