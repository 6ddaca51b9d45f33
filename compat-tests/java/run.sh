#!/usr/bin/env bash
# Apache Kafka's tools (from Maven jars) against one broker: the scenarios of
# java/scenarios.tsv, each in a fresh bash (run_one.sh) with its own deadline. Called by
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

source "$COMPAT_HOME/lib/scenarios.sh"
run_scenarios "$here/scenarios.tsv" "$only" "$limit" "$here/run_one.sh"
