#pragma once

// A value or an error, returned instead of throwing (std::expected is C++23 and
// GCC 12's libstdc++ does not ship it). Shared by every module.
//
// Invariant: exactly one of value/error is held; value() on an error (or
// error() on a value) is a programming error and traps.

#include <utility>
#include <variant>

#include "common/assert.h"

namespace samsa {

template <typename E>
struct failure {
  E error;
};

template <typename E>
failure<std::decay_t<E>> make_failure(E&& e) {
  return failure<std::decay_t<E>>{std::forward<E>(e)};
}

template <typename T, typename E>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  result(failure<E> f) : v_(std::in_place_index<1>, std::move(f.error)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    SAMSA_ASSERT(has_value(), "result::value() on an error");
    return std::get<0>(v_);
  }
  const T& value() const& {
    SAMSA_ASSERT(has_value(), "result::value() on an error");
    return std::get<0>(v_);
  }
  T&& value() && {
    SAMSA_ASSERT(has_value(), "result::value() on an error");
    return std::get<0>(std::move(v_));
  }
  const E& error() const {
    SAMSA_ASSERT(!has_value(), "result::error() on a value");
    return std::get<1>(v_);
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, E> v_;
};

// For operations that succeed with nothing to return.
struct ok_t {};
inline constexpr ok_t ok{};

}  // namespace samsa
