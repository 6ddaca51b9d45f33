#!/usr/bin/env bash
# Python client scenarios against one broker, one /usr/bin/python3 process each.
# SUITE_ARG: kafka-python | confluent-kafka. Knobs: PY_SCENARIOS (comma list), PY_LIMIT (s).
set -euo pipefail
source "$COMPAT_HOME/lib/common.sh"
here="$COMPAT_HOME/python"
case "$SUITE_ARG" in
  kafka-python) script="$here/kafka_python_scenarios.py"
    /usr/bin/python3 -c 'import kafka; print("kafka-python", kafka.__version__, "(Debian python3-kafka)")' > "$SUITE_DIR/version" ;;
  confluent-kafka) script="$here/confluent_kafka_scenarios.py"
    /usr/bin/python3 -c 'import confluent_kafka as c; print("confluent-kafka", c.version()[0], "on librdkafka", c.libversion()[0], "(Debian)")' > "$SUITE_DIR/version" ;;
  *) echo "unknown client '$SUITE_ARG'" >&2; exit 2 ;;
esac
if [ "$COMPAT_MODE" = ci ]; then limit="${PY_LIMIT:-60}"; else limit="${PY_LIMIT:-120}"; fi
source "$COMPAT_HOME/lib/scenarios.sh"
run_scenarios "$here/$SUITE_ARG.tsv" "${PY_SCENARIOS:-}" "$limit" /usr/bin/python3 "$script"
