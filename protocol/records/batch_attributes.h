#pragma once

// The int16 `attributes` field of a RecordBatch v2 header.
//
//   bits 0-2  compression codec (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)
//   bit  3    timestamp type (0 CreateTime, 1 LogAppendTime)
//   bit  4    isTransactional
//   bit  5    isControl
//   bit  6    hasDeleteHorizonMs (baseTimestamp holds the delete horizon)
//   bits 7-15 unused; written as 0, ignored on read (Kafka does not check them)

#include <cstdint>
#include <optional>

#include "protocol/records/compression_codec.h"

namespace samsa::protocol {

enum class timestamp_type : uint8_t { create_time = 0, log_append_time = 1 };

class batch_attributes {
 public:
  static constexpr int16_t kCodecMask = 0x07;
  static constexpr int16_t kTimestampTypeBit = 0x08;
  static constexpr int16_t kTransactionalBit = 0x10;
  static constexpr int16_t kControlBit = 0x20;
  static constexpr int16_t kDeleteHorizonBit = 0x40;

  constexpr batch_attributes() = default;
  constexpr explicit batch_attributes(int16_t raw) : raw_(raw) {}

  constexpr int16_t raw() const { return raw_; }
  constexpr uint8_t codec_id() const { return static_cast<uint8_t>(raw_ & kCodecMask); }
  // nullopt when the codec bits name no known codec (5-7).
  constexpr std::optional<compression_codec> codec() const { return compression_codec_from_id(codec_id()); }
  constexpr timestamp_type ts_type() const {
    return (raw_ & kTimestampTypeBit) ? timestamp_type::log_append_time : timestamp_type::create_time;
  }
  constexpr bool is_transactional() const { return (raw_ & kTransactionalBit) != 0; }
  constexpr bool is_control() const { return (raw_ & kControlBit) != 0; }
  constexpr bool has_delete_horizon_ms() const { return (raw_ & kDeleteHorizonBit) != 0; }

  constexpr batch_attributes with_codec(compression_codec c) const {
    return batch_attributes(static_cast<int16_t>((raw_ & ~kCodecMask) | static_cast<int16_t>(c)));
  }
  constexpr batch_attributes with_ts_type(timestamp_type t) const {
    return with_bit(kTimestampTypeBit, t == timestamp_type::log_append_time);
  }
  constexpr batch_attributes with_transactional(bool on) const { return with_bit(kTransactionalBit, on); }
  constexpr batch_attributes with_control(bool on) const { return with_bit(kControlBit, on); }
  constexpr batch_attributes with_delete_horizon_ms(bool on) const { return with_bit(kDeleteHorizonBit, on); }

  constexpr bool operator==(const batch_attributes&) const = default;

 private:
  constexpr batch_attributes with_bit(int16_t bit, bool on) const {
    return batch_attributes(static_cast<int16_t>(on ? (raw_ | bit) : (raw_ & ~bit)));
  }
  int16_t raw_ = 0;
};

}  // namespace samsa::protocol
