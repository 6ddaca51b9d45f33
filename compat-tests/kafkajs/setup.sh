#!/usr/bin/env bash
# Installs kafkajs (version pinned in kafkajs/package.json) from npm into
# <work-root>/kafkajs/node_modules. Prints that directory.
#   compat-tests/kafkajs/setup.sh <work-root>
set -euo pipefail
root="${1:?usage: setup.sh <work-root>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$root/kafkajs"; out="$(cd "$root/kafkajs" && pwd)"
if [ -f "$out/.stamp" ] && cmp -s "$out/.stamp" "$here/package.json" && [ -d "$out/node_modules/kafkajs" ]; then
  echo "$out"; exit 0
fi
cp "$here/package.json" "$out/package.json"
(cd "$out" && npm install --no-audit --no-fund --loglevel=error) >&2
cp "$here/package.json" "$out/.stamp"
echo "$out"
