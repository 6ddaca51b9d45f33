# Compiler flags, ccache and sanitizers.
find_program(SAMSA_CCACHE ccache)
if(SAMSA_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER ${SAMSA_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${SAMSA_CCACHE})
endif()

if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE RelWithDebInfo)
endif()

add_compile_options(-Wall -Wextra -Wno-unused-parameter -fno-omit-frame-pointer)
# Release builds keep asserts of invariants (SAMSA_ASSERT) but drop <cassert>.
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG")
set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O2 -g -DNDEBUG")

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  # CRC-32C uses SSE4.2 only after a runtime CPU check, so the baseline stays generic.
  set(SAMSA_X86 ON)
endif()

if(SAMSA_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
endif()

# libFuzzer ships with clang only. Every library is built with coverage
# instrumentation so that the fuzzers are guided into the code they test, not
# just through their own harness.
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  set(SAMSA_FUZZ ON)
  add_compile_options(-fsanitize=fuzzer-no-link)
else()
  set(SAMSA_FUZZ OFF)
endif()
