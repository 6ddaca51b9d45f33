#!/usr/bin/env bash
# Apache Kafka's tools (from Maven jars) against one broker: the scenarios of
# java/scenarios.tsv, each in a fresh bash with its own deadline. Called by
# compat-tests/run.sh with SUITE_ARG = a Kafka version or prefix (3.9, 4).
# Knobs: JAVA_SCENARIOS (only these, comma separated), JAVA_SCENARIO_LIMIT (s).
set -euo pipefail
source "$COMPAT_HOME/lib/common.sh"
here="$COMPAT_HOME/java"
export KAFKA_HOME; KAFKA_HOME="$("$here/setup.sh" "$COMPAT_WORK" "$SUITE_ARG" | tail -1)"
version="$(basename "$(dirname "$KAFKA_HOME")")"
echo "Apache Kafka $version tools and Java client (Maven jars)" > "$SUITE_DIR/version"
if [ "$COMPAT_MODE" = ci ]; then limit="${JAVA_SCENARIO_LIMIT:-120}"; else limit="${JAVA_SCENARIO_LIMIT:-420}"; fi
only="${JAVA_SCENARIOS:-}"

trap 'broker_stop' EXIT
trap 'exit 143' TERM INT
while IFS=$'\t' read -r name action waits ci what; do
  [ "$COMPAT_MODE" != ci ] || [ "$ci" = ci ] || continue
  [ -z "$only" ] || [[ ",$only," == *",$name,"* ]] || continue
  [ "$action" != run ] || plan_tests "$name"
done < <(lines_of "$here/scenarios.tsv")
broker_start "$SUITE_DIR/broker" || { fail_unreported "broker not available: $(tail -1 "$BROKER_LOG")"; exit 0; }
export BOOTSTRAP

while IFS=$'\t' read -r name action waits ci what; do
  [ "$COMPAT_MODE" != ci ] || [ "$ci" = ci ] || continue
  [ -z "$only" ] || [[ ",$only," == *",$name,"* ]] || continue
  if [ "$action" != run ]; then result "$name" excluded 0 "$what (waits for: $waits)"; continue; fi
  export SC_DIR="$SUITE_DIR/$name"; mkdir -p "$SC_DIR"
  t0=$(date +%s%N); rc=0
  timeout -k 10 "$limit" bash -c 'source "$1/scenarios.sh"; "scenario_$2"' _ "$here" "$name" \
    > "$SC_DIR/scenario.log" 2>&1 || rc=$?
  secs="$(( ($(date +%s%N) - t0) / 1000000 ))"; secs="$((secs / 1000)).$(printf '%03d' $((secs % 1000)))"
  if [ $rc -eq 0 ]; then
    result "$name" pass "$secs" ""
  else
    detail="$(grep -m1 '^FAIL: ' "$SC_DIR/scenario.log" | sed 's/^FAIL: //' || true)"
    [ $rc -ne 124 ] || detail="scenario exceeded ${limit} s${detail:+: $detail}"
    [ -n "$detail" ] || detail="exit $rc: $(tail -1 "$SC_DIR/scenario.log")"
    if ! broker_alive; then
      detail="$(broker_death_note); $detail"
      cp "$BROKER_LOG" "$SUITE_DIR/broker-crash-$name.log" || true
      broker_start "$SUITE_DIR/broker" || true
    fi
    [ "$waits" = - ] || detail="$detail [waits for: $waits]"
    result "$name" fail "$secs" "$detail"
  fi
  compat_log "$name: $(tail -1 "$RESULTS_FILE" | cut -f2,4)"
done < <(lines_of "$here/scenarios.tsv")
