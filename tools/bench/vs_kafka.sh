#!/usr/bin/env bash
# One command: Samsa against Apache Kafka on this machine, the same load on both, alternating,
# several rounds; medians and Samsa/Kafka ratios into tools/bench/RESULTS.md.
#
#   tools/bench/vs_kafka.sh [--rounds N] [--records N] [--sync-records N] [--e2e-rate R] ...
#
# Needs: the Samsa release binary (SAMSA, default build/release/broker/samsa), Java 17+, mvn,
# gcc and librdkafka-dev (tools/setup.sh installs it). Fetches Kafka with tools/kafka/fetch.sh,
# compiles the C helpers into build/bench/, keeps both brokers' data under build/bench/work/.
# Loopback only; every workload is bounded; both brokers are stopped on exit or failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$repo/tools/kafka/common.sh"
SAMSA="${SAMSA:-$repo/build/release/broker/samsa}"
[ -x "$SAMSA" ] || { echo "vs_kafka: no Samsa binary at $SAMSA (cmake --preset release && cmake --build --preset release --target samsa)" >&2; exit 1; }
bin="$repo/build/bench"
work="$bin/work"
mkdir -p "$bin"
"$repo/tools/kafka/fetch.sh" >/dev/null
for tool in vs_kafka_rdkafka_load vs_kafka_limits; do
  src="$here/$tool.c"
  if [ ! -x "$bin/$tool" ] || [ "$src" -nt "$bin/$tool" ]; then
    gcc -O2 -Wall -o "$bin/$tool" "$src" -lrdkafka -lpthread
  fi
done
rm -rf "$work"; mkdir -p "$work"

py_pid=""
cleanup() { [ -z "$py_pid" ] || kill -TERM "$py_pid" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

java_version="$("$JAVA" -version 2>&1 | head -1 | sed 's/"//g')"
rdkafka_version="$(dpkg-query -W -f='${Version}' librdkafka1 2>/dev/null || echo '?')"
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'), binary built $(date -u -r "$SAMSA" '+%Y-%m-%d %H:%M UTC')"
meta="{\"kafka_version\": \"$KAFKA_VERSION\", \"kafka_heap\": \"${KAFKA_HEAP_OPTS:-$(kafka_default_heap server)}\",
       \"java\": \"$java_version\", \"librdkafka\": \"$rdkafka_version\", \"samsa_commit\": \"$commit\"}"
"$PYTHON" "$here/vs_kafka.py" --samsa "$SAMSA" --bin "$bin" --work "$work" --meta "$meta" "$@" &
py_pid=$!
wait "$py_pid"
