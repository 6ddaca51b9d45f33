#!/usr/bin/env bash
# Runs the transaction checker against Apache Kafka (single KRaft node from tools/kafka/), to
# show the harness passes on the reference broker, and that its broken modes fail there.
#
#   broker/test/txn_checker_kafka.sh [--build DIR] [--node DIR] [txn_checker options...]
#   e.g. broker/test/txn_checker_kafka.sh --seed 1
#        broker/test/txn_checker_kafka.sh --seed 2 --rounds 2 --break read-uncommitted   # must FAIL
#
# --build: the CMake build dir holding broker/test/txn_checker (default build/release; build it
# with `cmake --build build/release --target txn_checker`). --node: a Kafka node dir, formatted
# here if it has no server.properties (default build/txn-checker-kafka, reformatted each run).
# Kafka's restart after SIGKILL takes 12-17 s (KRaft session expiry), so a 6-round run takes
# about 2 minutes. Exit: the checker's (0 passed, 1 failed).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
build="$repo/build/release"; node=""; args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --node) node="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
checker="$build/broker/test/txn_checker"
[ -x "$checker" ] || { echo "txn_checker_kafka: no $checker (cmake --build $build --target txn_checker)" >&2; exit 2; }
"$repo/tools/kafka/fetch.sh" >/dev/null
if [ -z "$node" ]; then
  node="$repo/build/txn-checker-kafka"
  "$repo/tools/kafka/stop.sh" --dir "$node" >/dev/null 2>&1 || true
  "$repo/tools/kafka/format.sh" --dir "$node" --force
elif [ ! -f "$node/server.properties" ]; then
  "$repo/tools/kafka/format.sh" --dir "$node"
fi
trap '"$repo/tools/kafka/stop.sh" --dir "$node" >/dev/null 2>&1 || true' EXIT
"$checker" --broker kafka --kafka-node "$node" --kafka-tools "$repo/tools/kafka" "${args[@]}"
