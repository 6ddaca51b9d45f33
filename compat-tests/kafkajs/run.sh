#!/usr/bin/env bash
# kafkajs scenarios (kafkajs/scenarios.mjs) against one broker, one node process each.
# Knobs: KAFKAJS_SCENARIOS (names, comma separated), KAFKAJS_LIMIT (s per scenario).
set -euo pipefail
source "$COMPAT_HOME/lib/common.sh"
here="$COMPAT_HOME/kafkajs"
mods="$("$here/setup.sh" "$COMPAT_WORK" | tail -1)/node_modules"
echo "kafkajs $(node -p "require('$mods/kafkajs/package.json').version") on node $(node --version)" > "$SUITE_DIR/version"
if [ "$COMPAT_MODE" = ci ]; then limit="${KAFKAJS_LIMIT:-60}"; else limit="${KAFKAJS_LIMIT:-120}"; fi
export NODE_PATH="$mods"
source "$COMPAT_HOME/lib/scenarios.sh"
run_scenarios "$here/scenarios.tsv" "${KAFKAJS_SCENARIOS:-}" "$limit" node "$here/scenarios.mjs"
