#pragma once

// Invariant checks that stay on in release builds: a broken invariant traps
// instead of corrupting a log or answering a client with garbage.

#include <cstdio>
#include <cstdlib>

namespace samsa::detail {
[[noreturn]] inline void assert_failed(const char* expr, const char* msg, const char* file, int line) {
  std::fprintf(stderr, "samsa: assertion failed: %s (%s) at %s:%d\n", expr, msg, file, line);
  std::fflush(stderr);
  std::abort();
}
}  // namespace samsa::detail

#define SAMSA_ASSERT(cond, msg)                                              \
  do {                                                                       \
    if (__builtin_expect(!(cond), 0)) {                                      \
      ::samsa::detail::assert_failed(#cond, (msg), __FILE__, __LINE__);      \
    }                                                                        \
  } while (0)

#define SAMSA_UNREACHABLE(msg) ::samsa::detail::assert_failed("unreachable", (msg), __FILE__, __LINE__)
