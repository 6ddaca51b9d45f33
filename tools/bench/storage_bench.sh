#!/usr/bin/env bash
# Runs the storage benchmark and prints every storage throughput as a ratio to
# raw write()/fdatasync/read() of the same bytes on the same disk in the same
# run, then the start-up time with 1,000 partitions after a clean shutdown.
#   tools/bench/storage_bench.sh [build-dir] [storage_bench options]
#   e.g. tools/bench/storage_bench.sh build/release --dir /mnt/data --mib 512
# Defaults: build/release, --dir /tmp (pick a directory on the disk to measure),
# 256 MiB per measurement, median of 5 runs, 1,000 partitions.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/release}"
shift || true
ninja -C "$build" storage_bench >/dev/null
exec "$build/tools/bench/storage_bench" "$@"
