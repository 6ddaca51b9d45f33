#!/usr/bin/env bash
# One command: the group coordinator of Samsa beside Apache Kafka's (with its defaults, and with an
# fsync per append), over the raw wire protocol (rebalance after a LeaveGroup with 10 and 100
# members; offset commits per second with 1 and 16 committers); medians and Samsa/Kafka ratios
# into tools/bench/GROUPS.md.
#
#   tools/bench/group_bench.sh [--rounds N] [--reps N] [--commit-s S]
#
# Needs: a configured release build (cmake --preset release); builds the samsa and group_bench
# targets in it. Java 17+ and mvn for Kafka (fetched by tools/kafka/fetch.sh). All three brokers keep
# their data under build/bench/group_work/ and are stopped on exit or failure. Loopback only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$repo/tools/kafka/common.sh"
build="${BUILD_DIR:-$repo/build/release}"
nice -n 10 cmake --build "$build" --target samsa group_bench >/dev/null
SAMSA="$build/broker/samsa"
DRIVER="$build/tools/bench/group_bench"
work="$repo/build/bench/group_work"
"$repo/tools/kafka/fetch.sh" >/dev/null
rm -rf "$work"; mkdir -p "$work"

py_pid=""
cleanup() { [ -z "$py_pid" ] || kill -TERM "$py_pid" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

java_version="$("$JAVA" -version 2>&1 | head -1 | sed 's/"//g')"
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'), binary built $(date -u -r "$SAMSA" '+%Y-%m-%d %H:%M UTC')"
meta="{\"kafka_version\": \"$KAFKA_VERSION\", \"java\": \"$java_version\", \"samsa_commit\": \"$commit\"}"
"$PYTHON" "$here/group_bench.py" --samsa "$SAMSA" --driver "$DRIVER" --work "$work" --meta "$meta" "$@" &
py_pid=$!
wait "$py_pid"
