# Test helpers. Each gtest binary is registered per test case so ctest runs them in parallel and a
# crash names the test that caused it.
if(SAMSA_BUILD_TESTS)
  enable_testing()
  include(GoogleTest)
endif()

# samsa_add_gtest(<name> SOURCES ... LIBS ...)
function(samsa_add_gtest name)
  if(NOT SAMSA_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 60
    PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}"
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
endfunction()

# samsa_add_fuzzer(<name> SOURCES ... LIBS ... [CORPUS dir])
# Builds a libFuzzer target (clang only) and registers a bounded ctest run of it
# (SAMSA_FUZZ_SECONDS each, label "fuzz").
set(SAMSA_FUZZ_SECONDS 20 CACHE STRING "Seconds each fuzzer runs under ctest")
function(samsa_add_fuzzer name)
  if(NOT SAMSA_FUZZ)
    return()
  endif()
  cmake_parse_arguments(ARG "" "CORPUS" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  if(SAMSA_BUILD_TESTS)
    set(work ${CMAKE_BINARY_DIR}/fuzz-corpus/${name})
    set(seed_args)
    if(ARG_CORPUS)
      set(seed_args ${ARG_CORPUS})
    endif()
    add_test(NAME fuzz.${name}
      COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
              $<TARGET_FILE:${name}> -max_total_time=${SAMSA_FUZZ_SECONDS} -seed=1 -rss_limit_mb=2048
              -print_final_stats=1 ${work} ${seed_args})
    set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz TIMEOUT 600)
    file(MAKE_DIRECTORY ${work})
  endif()
endfunction()
