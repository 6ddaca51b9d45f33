#pragma once

// A value or a record_error. A small stand-in for std::expected (C++23), kept
// local to the record codec so its errors stay a closed set.

#include <ostream>
#include <utility>
#include <variant>

#include "common/assert.h"
#include "protocol/records/record_error.h"

namespace samsa::protocol {

inline std::ostream& operator<<(std::ostream& os, record_error e) { return os << to_string(e); }

template <typename T>
class [[nodiscard]] record_result {
 public:
  record_result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  record_result(record_error e) : v_(std::in_place_index<1>, e) {}          // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok().
  T& value() & {
    SAMSA_ASSERT(ok(), "value() of a failed record_result");
    return std::get<0>(v_);
  }
  const T& value() const& {
    SAMSA_ASSERT(ok(), "value() of a failed record_result");
    return std::get<0>(v_);
  }
  T&& value() && {
    SAMSA_ASSERT(ok(), "value() of a failed record_result");
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Precondition: !ok().
  record_error error() const {
    SAMSA_ASSERT(!ok(), "error() of a successful record_result");
    return std::get<1>(v_);
  }

 private:
  std::variant<T, record_error> v_;
};

// Success or a record_error, for operations with nothing to return.
template <>
class [[nodiscard]] record_result<void> {
 public:
  record_result() = default;
  record_result(record_error e) : error_(e), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  record_error error() const {
    SAMSA_ASSERT(failed_, "error() of a successful record_result");
    return error_;
  }

 private:
  record_error error_{};
  bool failed_ = false;
};

using record_status = record_result<void>;

}  // namespace samsa::protocol
