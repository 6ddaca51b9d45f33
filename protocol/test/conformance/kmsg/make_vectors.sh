#!/usr/bin/env bash
# Builds the kmsg vector generator (main.go) and writes the vectors.
#
# Usage: make_vectors.sh <out-file> [generator flags, e.g. -n 5 -seed 7]
#
# Environment:
#   KMSG_SPEC       official message JSON dir (default <repo>/../shared/kafka-spec/message)
#   KMSG_CACHE_DIR  where the generator binary and stamp live
#                   (default: <dir of out-file>/kmsgvectors-cache)
#
# Needs only `go` in PATH and the Go module proxy (for kmsg, pinned by the
# committed go.mod/go.sum) on the first run. If <out-file> exists and nothing
# that affects it changed (sources, go.sum, fieldmap, spec JSON, Go version,
# flags), it returns at once. Exits non-zero on any failure, including a
# kmsg decode/re-encode mismatch.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 <out-file> [generator flags]" >&2
  exit 2
fi
out="$1"
shift

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
spec="${KMSG_SPEC:-$repo/../shared/kafka-spec/message}"
if [ ! -d "$spec" ]; then
  echo "make_vectors.sh: spec dir $spec not found (set KMSG_SPEC)" >&2
  exit 1
fi
spec="$(cd "$spec" && pwd)"

mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
cache="${KMSG_CACHE_DIR:-$(dirname "$out")/kmsgvectors-cache}"
mkdir -p "$cache"

command -v go >/dev/null || { echo "make_vectors.sh: go not found in PATH" >&2; exit 1; }

# Everything that determines the output.
stamp="$(
  {
    go version
    echo "args: $*"
    echo "spec: $spec"
    cat "$here/main.go" "$here/go.mod" "$here/go.sum" "$here/fieldmap.txt" "$here/make_vectors.sh"
    find "$spec" -maxdepth 1 -name '*.json' -print0 | LC_ALL=C sort -z | xargs -0 cat
  } | sha256sum | cut -d' ' -f1
)"
stampfile="$cache/$(basename "$out").stamp"
if [ -f "$out" ] && [ -f "$stampfile" ] && [ "$(cat "$stampfile")" = "$stamp" ]; then
  exit 0
fi

bin="$cache/kmsgvectors"
(cd "$here" && GOFLAGS=-mod=readonly go build -buildvcs=false -trimpath -o "$bin.tmp" .)
mv -f "$bin.tmp" "$bin"

rm -f "$stampfile"
"$bin" -q -spec "$spec" -out "$out" "$@"
echo "$stamp" > "$stampfile"
