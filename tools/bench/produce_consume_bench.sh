#!/usr/bin/env bash
# Produce/consume throughput and latency of the samsa binary with librdkafka
# (1 KiB records, acks=1 and acks=all) as ratios to raw loopback TCP in the
# same run, and the broker's RSS with 1,000 idle partitions.
#   tools/bench/produce_consume_bench.sh [build-dir] [produce_consume_bench options]
#   e.g. tools/bench/produce_consume_bench.sh build/release --records 2000000 --dir /mnt/data
# Defaults: build/release, 1,000,000 records per throughput run over 4
# partitions, data under /tmp, paced latency runs at 20,000 records/s.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/release}"
shift || true
ninja -C "$build" samsa produce_consume_bench >/dev/null
exec "$build/tools/bench/produce_consume_bench" --samsa "$build/broker/samsa" "$@"
