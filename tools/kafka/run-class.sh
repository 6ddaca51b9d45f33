#!/usr/bin/env bash
# Runs a Kafka tool from the fetched jars, as bin/kafka-<name>.sh would:
#
#   tools/kafka/run-class.sh <name|main class> [args...]
#   tools/kafka/run-class.sh producer-perf-test --topic t --num-records 1000 ...
#   tools/kafka/run-class.sh org.apache.kafka.tools.TopicCommand --list --bootstrap-server ...
#
# <name> is a bin/ script name without kafka- and .sh (see kafka_main_class in common.sh).
# Heap: $KAFKA_HEAP_OPTS, else what Kafka's own script gives that tool (512M for perf tests and
# console tools, 256M for the rest). Logging: WARN to stderr; stdout carries only the tool's output.
set -euo pipefail
source "$(dirname "$0")/common.sh"
[ $# -ge 1 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
kafka_require_dist
name="$1"; shift
main="$(kafka_main_class "$name")"
# shellcheck disable=SC2086  # heap and log opts are word lists
exec "$JAVA" ${KAFKA_HEAP_OPTS:-$(kafka_default_heap "$name")} "${KAFKA_JVM_PERFORMANCE_OPTS[@]}" \
  $(kafka_log_opts tools "${KAFKA_LOG_DIR:-/tmp}") -cp "$KAFKA_LIBS/*" "$main" "$@"
