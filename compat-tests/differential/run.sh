#!/usr/bin/env bash
# Starts a fresh Samsa and a fresh single-node Kafka side by side on loopback, runs every
# differential scenario against both, writes compat-tests/DIFFERENCES.md, and stops both.
#
#   compat-tests/differential/run.sh [--only GLOB] [--strict]
#
# Environment: SAMSA (binary, default build/release/broker/samsa; build it first with
# `cmake --preset release && cmake --build --preset release --target samsa`), KAFKA_VERSION
# (default: tools/kafka/common.sh), WORK (default build/differential). Observations of both
# brokers go to $WORK/results.json, broker logs to $WORK/{samsa,kafka}/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$repo/tools/kafka/common.sh"
SAMSA="${SAMSA:-$repo/build/release/broker/samsa}"
WORK="${WORK:-$repo/build/differential}"
[ -x "$SAMSA" ] || { echo "differential: no Samsa binary at $SAMSA (build it first)" >&2; exit 1; }

"$repo/tools/kafka/fetch.sh" >/dev/null
rm -rf "$WORK"; mkdir -p "$WORK/samsa"
samsa_pid=""
cleanup() {
  [ -z "$samsa_pid" ] || { kill -TERM "$samsa_pid" 2>/dev/null && wait "$samsa_pid" 2>/dev/null || true; }
  "$repo/tools/kafka/stop.sh" --dir "$WORK/kafka" >/dev/null 2>&1 || true
}
trap cleanup EXIT

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
samsa_port="$(free_port)"
# Internal topics with replication factor 1, as tools/kafka/format.sh configures Kafka.
cat > "$WORK/samsa/server.properties" <<PROPS
listeners=PLAINTEXT://127.0.0.1:$samsa_port
log.dirs=$WORK/samsa/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
PROPS
"$SAMSA" "$WORK/samsa/server.properties" > "$WORK/samsa/samsa.log" 2>&1 &
samsa_pid=$!
"$PYTHON" "$repo/tools/kafka/kafka_probe.py" --bootstrap "127.0.0.1:$samsa_port" --pid "$samsa_pid" \
  --deadline-s 30 >/dev/null || { cat "$WORK/samsa/samsa.log" >&2; exit 1; }

"$repo/tools/kafka/format.sh" --dir "$WORK/kafka"
"$repo/tools/kafka/start.sh" --dir "$WORK/kafka" > "$WORK/kafka/start.json"
kafka_bootstrap="$(sed -nE 's/.*"bootstrap": "([^"]+)".*/\1/p' "$WORK/kafka/start.json")"

SAMSA_BINARY="$SAMSA" "$PYTHON" "$here/differential.py" --kafka "$kafka_bootstrap" --kafka-node-id 1 \
  --samsa "127.0.0.1:$samsa_port" --samsa-node-id 1 \
  --schemas-jar "$KAFKA_LIBS/kafka-clients-$KAFKA_VERSION.jar" --kafka-version "$KAFKA_VERSION" \
  --out "$repo/compat-tests/DIFFERENCES.md" --results "$WORK/results.json" "$@"
