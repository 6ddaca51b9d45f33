#!/usr/bin/env bash
# Fetches franz-go (the module github.com/twmb/franz-go, whose pkg/kgo holds the
# integration tests) from the Go module proxy and compiles pkg/kgo's tests into
# one binary:   <work-root>/franz-go/<version>/kgo.test
#
#   compat-tests/franz-go/setup.sh <work-root>
#
# The version is the first non-comment line of franz-go/version. Go's module
# and build caches are kept under <work-root>/go. Prints the binary's path.
set -euo pipefail
root="${1:?usage: setup.sh <work-root>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$root"; root="$(cd "$root" && pwd)"
version="$(grep -vE '^\s*(#|$)' "$here/version" | head -1)"
out="$root/franz-go/$version"
export GOMODCACHE="$root/go/mod" GOCACHE="$root/go/cache" GOFLAGS=-modcacherw GOTOOLCHAIN=local
if [ -x "$out/kgo.test" ] && [ -f "$out/.stamp" ]; then echo "$out/kgo.test"; exit 0; fi
t0=$SECONDS
mkdir -p "$out"
echo "[franz-go setup] go mod download github.com/twmb/franz-go@$version" >&2
dir="$(cd "$out" && go mod download -json "github.com/twmb/franz-go@$version" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir","")); sys.exit(1 if d.get("Error") else 0)')"
[ -d "$dir" ] || { echo "[franz-go setup] download failed" >&2; exit 1; }
rm -rf "$out/src"; cp -r "$dir" "$out/src"; chmod -R u+w "$out/src"
echo "[franz-go setup] go test -c ./pkg/kgo" >&2
(cd "$out/src" && go test -c -o "$out/kgo.test" ./pkg/kgo) >&2
"$out/kgo.test" -test.list '.*' > "$out/tests.txt"
echo "$version $(date -u +%FT%TZ)" > "$out/.stamp"
echo "[franz-go setup] ready in $((SECONDS - t0)) s ($(wc -l < "$out/tests.txt") top-level tests)" >&2
echo "$out/kgo.test"
