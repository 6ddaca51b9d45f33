#!/usr/bin/env bash
# README command 1: installs what is missing, builds a release, and starts a
# broker on localhost:9092 with config/server.properties (data under ./data).
# Extra arguments are passed to samsa, e.g. --override log.retention.hours=1.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target samsa
exec build/release/broker/samsa config/server.properties "$@"
