#!/usr/bin/env bash
# One scenario of java/scenarios.sh, in a fresh bash: run_one.sh <name> <bootstrap>.
# The scenario's scratch files go to $SUITE_DIR/<name> (SC_DIR). No `set -e`:
# the scenario functions check each step and exit with "FAIL: ..." themselves.
export BOOTSTRAP="$2" SC_DIR="$SUITE_DIR/$1"
mkdir -p "$SC_DIR"
source "$(dirname "${BASH_SOURCE[0]}")/scenarios.sh"
"scenario_$1"
