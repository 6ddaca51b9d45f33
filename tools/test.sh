#!/usr/bin/env bash
# README command 2 (and CI's only step): installs what is missing, builds, and
# runs every test: the release build's tests, then the CI subset of the
# compatibility suites (real clients' own tests against the release binary,
# compat-tests/run.sh --ci), then every test again under ASan+UBSan (clang),
# where the libFuzzer targets also run for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
start=$(date +%s)
for preset in release asan; do
  echo "== $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "== $preset: test"
  ctest --preset "$preset"
  if [ "$preset" = release ]; then
    echo "== compatibility suites, CI subset (full run: compat-tests/run.sh --full)"
    compat-tests/run.sh --ci --samsa build/release/broker/samsa
  fi
done
echo "== all tests passed in $(( $(date +%s) - start )) s"
