#!/usr/bin/env bash
# README command 2 (and CI's only step): installs what is missing, builds, and
# runs every test twice: in the release build, then under ASan+UBSan (clang),
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
done
echo "== all tests passed in $(( $(date +%s) - start )) s"
