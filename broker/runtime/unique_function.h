#pragma once

// A move-only std::function: holds callables that own move-only state (a
// promise, a unique_ptr, a response being sent), which std::function cannot.
//
// Invariant: an empty unique_function is never called (calling one traps).

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include "common/assert.h"

namespace samsa::broker::runtime {

template <typename Signature>
class unique_function;

template <typename R, typename... Args>
class unique_function<R(Args...)> {
 public:
  unique_function() noexcept = default;
  unique_function(std::nullptr_t) noexcept {}  // NOLINT: implicit like std::function

  template <typename F,
            typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, unique_function> &&
                                        std::is_invocable_r_v<R, std::decay_t<F>&, Args...>>>
  unique_function(F&& f)  // NOLINT: implicit like std::function
      : impl_(std::make_unique<model<std::decay_t<F>>>(std::forward<F>(f))) {}

  unique_function(unique_function&&) noexcept = default;
  unique_function& operator=(unique_function&&) noexcept = default;
  unique_function(const unique_function&) = delete;
  unique_function& operator=(const unique_function&) = delete;

  explicit operator bool() const noexcept { return impl_ != nullptr; }

  R operator()(Args... args) {
    SAMSA_ASSERT(impl_ != nullptr, "calling an empty unique_function");
    return impl_->call(std::forward<Args>(args)...);
  }

 private:
  struct callable {
    virtual ~callable() = default;
    virtual R call(Args&&... args) = 0;
  };
  template <typename F>
  struct model final : callable {
    template <typename G>
    explicit model(G&& g) : f(std::forward<G>(g)) {}
    R call(Args&&... args) override { return std::invoke(f, std::forward<Args>(args)...); }
    F f;
  };

  std::unique_ptr<callable> impl_;
};

}  // namespace samsa::broker::runtime
