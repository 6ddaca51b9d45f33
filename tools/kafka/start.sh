#!/usr/bin/env bash
# Starts the Kafka node that format.sh wrote in NODE, in the background, and waits (polling with a
# deadline) until it serves: ApiVersions answered and Metadata naming the broker.
#
#   tools/kafka/start.sh --dir NODE [--deadline-s 120]
#
# Prints one JSON line: {"bootstrap", "pid", "first_response_s", "ready_s"} with times since the
# JVM was launched. The pid goes to NODE/kafka.pid, the log to NODE/logs/server.log (GC log beside
# it). On failure it kills what it started and exits 1. Heap: $KAFKA_HEAP_OPTS, else -Xmx1G -Xms1G
# (what bin/kafka-server-start.sh gives).
set -euo pipefail
source "$(dirname "$0")/common.sh"

node=""; deadline_s=120
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) node="$2"; shift 2 ;;
    --deadline-s) deadline_s="$2"; shift 2 ;;
    *) echo "start: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$node" ] && [ -f "$node/server.properties" ] || { echo "start: --dir NODE (formatted by format.sh) required" >&2; exit 2; }
kafka_require_dist
node="$(cd "$node" && pwd)"
if [ -f "$node/kafka.pid" ] && kill -0 "$(cat "$node/kafka.pid")" 2>/dev/null; then
  echo "start: already running (pid $(cat "$node/kafka.pid"))" >&2; exit 1
fi
bootstrap="$(sed -nE 's#^listeners=PLAINTEXT://([^,]+),.*#\1#p' "$node/server.properties")"
[ -n "$bootstrap" ] || { echo "start: no PLAINTEXT listener in $node/server.properties" >&2; exit 1; }
mkdir -p "$node/logs"

t0="$(date +%s.%N)"
# shellcheck disable=SC2086  # heap and log opts are word lists
"$JAVA" ${KAFKA_HEAP_OPTS:-$(kafka_default_heap server)} "${KAFKA_JVM_PERFORMANCE_OPTS[@]}" \
  "-Xlog:gc*:file=$node/logs/kafkaServer-gc.log:time,tags:filecount=10,filesize=100M" \
  $(kafka_log_opts server "$node/logs") -cp "$KAFKA_LIBS/*" kafka.Kafka "$node/server.properties" \
  < /dev/null > "$node/logs/server.log" 2>&1 &
pid=$!
echo "$pid" > "$node/kafka.pid"

if ! probe="$("$PYTHON" "$KAFKA_TOOLS_DIR/kafka_probe.py" --bootstrap "$bootstrap" --pid "$pid" \
               --t0 "$t0" --deadline-s "$deadline_s")"; then
  echo "start: Kafka did not become ready; last log lines:" >&2
  tail -20 "$node/logs/server.log" >&2
  "$KAFKA_TOOLS_DIR/stop.sh" --dir "$node" --timeout-s 5 >/dev/null 2>&1 || true
  exit 1
fi
echo "{\"bootstrap\": \"$bootstrap\", \"pid\": $pid, ${probe#\{}"
