#pragma once

// result<T>: a value or a storage::error (error.h). A stand-in for std::expected.
// status = result<void>. Use TRY-style early returns:
//   auto r = f(); if (!r) return r.error();

#include <utility>
#include <variant>

#include "common/assert.h"
#include "storage/error.h"

namespace samsa::storage {

template <typename T>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  result(storage::error e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT
  result(errc c) : v_(std::in_place_index<1>, storage::error(c)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    SAMSA_ASSERT(ok(), "value() of a failed result");
    return std::get<0>(v_);
  }
  const T& value() const& {
    SAMSA_ASSERT(ok(), "value() of a failed result");
    return std::get<0>(v_);
  }
  T&& value() && {
    SAMSA_ASSERT(ok(), "value() of a failed result");
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

  const storage::error& error_value() const {
    SAMSA_ASSERT(!ok(), "error of a successful result");
    return std::get<1>(v_);
  }
  // The error, copied (so `return r.error();` works from a result of another type).
  storage::error error() const { return error_value(); }
  errc code() const { return error_value().code; }

 private:
  std::variant<T, storage::error> v_;
};

template <>
class [[nodiscard]] result<void> {
 public:
  result() = default;
  result(storage::error e) : failed_(true), error_(std::move(e)) {}  // NOLINT
  result(errc c) : failed_(true), error_(c) {}              // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const storage::error& error_value() const {
    SAMSA_ASSERT(failed_, "error of a successful result");
    return error_;
  }
  storage::error error() const { return error_value(); }
  errc code() const { return error_value().code; }

 private:
  bool failed_ = false;
  storage::error error_;
};

using status = result<void>;

inline status ok_status() { return {}; }

}  // namespace samsa::storage
