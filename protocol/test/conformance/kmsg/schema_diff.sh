#!/usr/bin/env bash
# Compares kmsg's schema (the franz-go DSL that generated kmsg) with the
# official Kafka message JSON and regenerates, next to this script:
#   schema_diff.txt  every difference within the versions both know
#   fieldmap.txt     kmsg Go field path -> official JSON field path per version
#                    (embedded into the vector generator, main.go)
#
# Usage: schema_diff.sh [spec-dir]
#   spec-dir defaults to <repo>/../shared/kafka-spec/message
#
# Only needed when the kmsg version in go.mod changes. Set FRANZ_GO_VERSION to
# the github.com/twmb/franz-go root-module release whose generate/ directory
# produced that kmsg release; the script checks this by regenerating kmsg's
# generated.go from the DSL and comparing it with the real one.
set -euo pipefail

FRANZ_GO_VERSION="${FRANZ_GO_VERSION:-v1.22.3}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
spec="${1:-$repo/../shared/kafka-spec/message}"
spec="$(cd "$spec" && pwd)"

command -v go >/dev/null || { echo "schema_diff.sh: go not found in PATH" >&2; exit 1; }

work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# Locate the kmsg module used by the generator program.
kmsg_dir="$(cd "$here" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' github.com/twmb/franz-go/pkg/kmsg)"
if [ -z "$kmsg_dir" ] || [ ! -f "$kmsg_dir/generated.go" ]; then
  (cd "$here" && GOFLAGS=-mod=mod go mod download github.com/twmb/franz-go/pkg/kmsg)
  kmsg_dir="$(cd "$here" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' github.com/twmb/franz-go/pkg/kmsg)"
fi
kmsg_version="$(cd "$here" && GOFLAGS=-mod=mod go list -m -f '{{.Version}}' github.com/twmb/franz-go/pkg/kmsg)"

# Fetch the franz-go root module (it holds generate/, the DSL and its parser).
franz_dir="$(cd "$work" && env -u GOFLAGS go mod download -json "github.com/twmb/franz-go@$FRANZ_GO_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
if [ -z "$franz_dir" ] || [ ! -d "$franz_dir/generate/definitions" ]; then
  echo "schema_diff.sh: could not get generate/ from github.com/twmb/franz-go@$FRANZ_GO_VERSION" >&2
  exit 1
fi

gen="$work/gen"
mkdir -p "$gen"
cp "$franz_dir"/generate/*.go "$gen/"
rm -f "$gen/validate_test.go"
cp -r "$franz_dir/generate/definitions" "$gen/definitions"
chmod -R u+w "$gen"
printf 'module gen\n\ngo 1.26\n' > "$gen/go.mod"
cp "$here/schemadiff/samsa_schemadiff_test.go" "$gen/"

# 1. The DSL must be the one kmsg was generated from.
(cd "$gen" && env -u GOFLAGS go run . > "$work/generated.go")
gofmt "$work/generated.go" > "$work/generated.fmt.go"
ndiff="$(diff "$work/generated.fmt.go" "$kmsg_dir/generated.go" | grep -c '^[<>]' || true)"
ncode="$(diff "$work/generated.fmt.go" "$kmsg_dir/generated.go" | grep '^[<>]' | grep -vc '^[<>][[:space:]]*//' || true)"
echo "schema_diff.sh: DSL of franz-go $FRANZ_GO_VERSION vs kmsg $kmsg_version generated.go: $ndiff differing lines, $ncode of them not comments"
if [ "$ncode" != "0" ]; then
  echo "schema_diff.sh: the DSL does not match kmsg $kmsg_version; pick the matching FRANZ_GO_VERSION" >&2
  exit 1
fi

# 2. Compare and write the outputs.
(cd "$gen" && SAMSA_SPEC_DIR="$spec" SAMSA_DIFF_OUT="$work/schema_diff.txt" SAMSA_MAPPING_OUT="$work/fieldmap.txt" \
  env -u GOFLAGS go test -count=1 -tags samsa_schemadiff -run '^TestSamsaSchemaDiff$' . >"$work/test.log" 2>&1) ||
  { cat "$work/test.log" >&2; exit 1; }
{
  echo "# kmsg $kmsg_version (DSL from github.com/twmb/franz-go $FRANZ_GO_VERSION generate/definitions)"
  echo "# official JSON: $(basename "$(dirname "$spec")")/$(basename "$spec")"
  cat "$work/schema_diff.txt"
} > "$here/schema_diff.txt"
{
  echo "# kmsg $kmsg_version (DSL from github.com/twmb/franz-go $FRANZ_GO_VERSION)"
  cat "$work/fieldmap.txt"
} > "$here/fieldmap.txt"
echo "schema_diff.sh: wrote $here/schema_diff.txt and $here/fieldmap.txt"
