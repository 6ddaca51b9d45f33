#pragma once

// A byte vector whose resize() leaves new bytes uninitialised: encoders size a
// buffer and then overwrite every byte, so zero-filling would be a wasted pass.

#include <cstdint>
#include <memory>
#include <vector>

namespace samsa::protocol {

template <typename T, typename A = std::allocator<T>>
class default_init_allocator : public A {
 public:
  using A::A;
  template <typename U>
  struct rebind {
    using other = default_init_allocator<U, typename std::allocator_traits<A>::template rebind_alloc<U>>;
  };
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    std::allocator_traits<A>::construct(static_cast<A&>(*this), p, std::forward<Args>(args)...);
  }
};

using byte_buffer = std::vector<uint8_t, default_init_allocator<uint8_t>>;

}  // namespace samsa::protocol
