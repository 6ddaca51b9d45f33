#pragma once

// A value wrapped in a distinct type so that an offset cannot be passed where
// a leader epoch is expected. Arithmetic is explicit through value().

#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>

namespace samsa {

template <typename T, typename Tag>
class strong_type {
 public:
  using value_type = T;
  constexpr strong_type() = default;
  constexpr explicit strong_type(T v) : value_(v) {}
  constexpr T value() const { return value_; }
  constexpr auto operator<=>(const strong_type&) const = default;
  friend std::ostream& operator<<(std::ostream& os, const strong_type& s) { return os << s.value_; }

 private:
  T value_{};
};

}  // namespace samsa

template <typename T, typename Tag>
struct std::hash<samsa::strong_type<T, Tag>> {
  size_t operator()(const samsa::strong_type<T, Tag>& s) const noexcept { return std::hash<T>{}(s.value()); }
};
