#!/usr/bin/env bash
# Captures the requests real clients send to Samsa and checks that our codec
# decodes and re-encodes every one byte for byte (frame_roundtrip_check).
# Clients: librdkafka (kcat), kafka-python, and the Java client (kafka-clients
# from Maven Central).
#
#   capture_clients.sh <samsa-binary> <frame_roundtrip_check> <work-dir>
set -euo pipefail
samsa="$1"; check="$2"; work="$3"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rm -rf "$work/run"; mkdir -p "$work/run"
run="$work/run"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_for() {  # wait_for <file> <pattern> <seconds>
  for _ in $(seq 1 $(( $3 * 20 ))); do
    if [ -s "$1" ] && grep -qE "$2" "$1"; then return 0; fi
    sleep 0.05
  done
  echo "timed out waiting for /$2/ in $1" >&2; cat "$1" >&2 || true; return 1
}

/usr/bin/python3 "$repo/tools/capture/kafka_tap.py" --port-file "$run/tap.port" \
  --upstream-port-file "$run/broker.port" --out "$run/frames.txt" &
pids+=($!)
wait_for "$run/tap.port" '^[0-9]+$' 30
tap=$(cat "$run/tap.port")

cat > "$run/server.properties" <<PROPS
listeners=PLAINTEXT://127.0.0.1:0
advertised.listeners=PLAINTEXT://127.0.0.1:$tap
log.dirs=$run/data
PROPS
"$samsa" "$run/server.properties" > "$run/samsa.log" 2>&1 &
pids+=($!)
wait_for "$run/samsa.log" 'listening on PLAINTEXT://127.0.0.1:[0-9]+' 30
sed -nE 's/.*listening on PLAINTEXT:\/\/127\.0\.0\.1:([0-9]+).*/\1/p' "$run/samsa.log" | head -1 > "$run/broker.port"

echo "== librdkafka (kcat)"
kcat -L -b "127.0.0.1:$tap" -m 20 | tee "$run/kcat.out"
grep -q "broker 1 at 127.0.0.1:$tap" "$run/kcat.out"

echo "== kafka-python"
timeout 60 /usr/bin/python3 "$here/kafka_python_client.py" "127.0.0.1:$tap"

echo "== Java client"
java_dir="$work/java"
mkdir -p "$java_dir"
if [ ! -f "$java_dir/lib.stamp" ] || ! cmp -s "$here/pom.xml" "$java_dir/lib.stamp"; then
  rm -rf "$java_dir/lib"
  (cd "$here" && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$java_dir/lib")
  cp "$here/pom.xml" "$java_dir/lib.stamp"
fi
javac -d "$java_dir/classes" -cp "$java_dir/lib/*" "$here/CaptureClient.java"
timeout 120 java -cp "$java_dir/classes:$java_dir/lib/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  CaptureClient "127.0.0.1:$tap"

kill -TERM "${pids[1]}"; wait "${pids[1]}" || true
echo "== checking $(grep -c ' req ' "$run/frames.txt") captured requests"
"$check" "$run/frames.txt" 10 | tee "$run/check.out"
for client in rdkafka kafka-python adminclient; do
  grep -q "client.id .*$client" "$run/check.out" || { echo "no requests captured from $client" >&2; exit 1; }
done
