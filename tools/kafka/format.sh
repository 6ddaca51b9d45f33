#!/usr/bin/env bash
# Writes the config of a single-node KRaft Kafka (process.roles=broker,controller) on loopback and
# formats its data dir with a random cluster id (kafka-storage format --standalone).
#
#   tools/kafka/format.sh --dir NODE [--port P] [--controller-port C] [--set key=value]... [--force]
#
# NODE gets server.properties, cluster.id, data/ (log.dirs) and logs/. Ports default to free
# loopback ports. --set adds or replaces a broker config (e.g. --set log.flush.interval.messages=1).
# --force wipes an already formatted NODE first. Every config that differs from Kafka's defaults is
# in this file with its reason; README.md lists them.
set -euo pipefail
source "$(dirname "$0")/common.sh"

node=""; port=""; cport=""; force=0; sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) node="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --controller-port) cport="$2"; shift 2 ;;
    --set) sets+=("$2"); shift 2 ;;
    --force) force=1; shift ;;
    *) echo "format: unknown argument $1" >&2; sed -n '2,10p' "$0" >&2; exit 2 ;;
  esac
done
[ -n "$node" ] || { echo "format: --dir is required" >&2; exit 2; }
kafka_require_dist
mkdir -p "$node"; node="$(cd "$node" && pwd)"
if [ -f "$node/data/meta.properties" ]; then
  [ "$force" = 1 ] || { echo "format: $node is already formatted (use --force)" >&2; exit 1; }
  [ ! -f "$node/kafka.pid" ] || ! kill -0 "$(cat "$node/kafka.pid")" 2>/dev/null ||
    { echo "format: Kafka is running in $node" >&2; exit 1; }
fi
rm -rf "$node/data" "$node/logs" "$node/server.properties" "$node/cluster.id"
mkdir -p "$node/data" "$node/logs"

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="${port:-$(free_port)}"
cport="${cport:-$(free_port)}"
[ "$port" != "$cport" ] || { echo "format: --port and --controller-port must differ" >&2; exit 2; }

{
  cat <<EOF
# Written by tools/kafka/format.sh (Kafka $KAFKA_VERSION). Only lines that differ from Kafka's defaults.
# Single node, combined roles, as Kafka 4.x's shipped config/server.properties.
process.roles=broker,controller
node.id=1
# Dynamic quorum (KIP-853) bootstrapped by 'kafka-storage format --standalone'.
controller.quorum.bootstrap.servers=127.0.0.1:$cport
# Loopback only. CONTROLLER is not a security protocol name, so it needs the map entry.
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$node/data
# Internal topics default to replication factor 3 (min.isr 2): a single node could never create
# them, so group offsets, transactions and share groups would fail. RF 1, as Kafka's shipped config.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
EOF
  if [ ${#sets[@]} -gt 0 ]; then
    echo "# --set"
    printf '%s\n' "${sets[@]}"
  fi
} > "$node/server.properties"

cluster_id="$("$SAMSA_REPO/tools/kafka/run-class.sh" storage random-uuid)"
echo "$cluster_id" > "$node/cluster.id"
"$SAMSA_REPO/tools/kafka/run-class.sh" storage format --cluster-id "$cluster_id" \
  --config "$node/server.properties" --standalone > "$node/logs/format.log" 2>&1 ||
  { cat "$node/logs/format.log" >&2; exit 1; }
echo "format: $node (cluster $cluster_id, PLAINTEXT 127.0.0.1:$port, CONTROLLER 127.0.0.1:$cport)" >&2
