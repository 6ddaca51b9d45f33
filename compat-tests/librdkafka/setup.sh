#!/usr/bin/env bash
# Builds librdkafka's own test runner from Debian's source package.
#
#   compat-tests/librdkafka/setup.sh <work-root>      (uses <work-root>/librdkafka)
#
# 1. Adds a deb-src entry (a copy of the machine's Debian `deb` entry with
#    `Types: deb-src`) if apt has none yet. Needs root, or sudo.
# 2. Installs the build dependencies Debian's package uses (plus rapidjson,
#    which four tests need, and curl for OIDC).
# 3. `apt-get source` librdkafka into <work-root>/librdkafka/src (Debian's patches applied).
# 4. ./configure; make libs; make -C tests build  (-j2).
# Prints the source directory on its last line. Quick when nothing changed:
# every step leaves a stamp.
set -euo pipefail
work="${1:?usage: setup.sh <work-root>}/librdkafka"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
jobs="${COMPAT_JOBS:-2}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
log() { echo "[librdkafka setup] $*" >&2; }

ensure_deb_src() {
  if grep -rqsE '^\s*(Types:.*deb-src|deb-src\s)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 0
  fi
  local src=/etc/apt/sources.list.d/debian.sources out=/etc/apt/sources.list.d/samsa-deb-src.sources
  if [ -f "$src" ]; then
    # Same URIs/suites/components as the first stanza (the main archive).
    awk 'BEGIN{RS=""; ORS="\n\n"} NR==1 { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$src" \
      | as_root tee "$out" >/dev/null
  else
    grep -E '^\s*deb\s' /etc/apt/sources.list | head -1 | sed -E 's/^\s*deb\s/deb-src /' \
      | as_root tee "$out" >/dev/null
  fi
  log "added $out"
  as_root apt-get update -qq
}

ensure_build_deps() {
  local pkgs=(build-essential dpkg-dev python3 pkg-config liblz4-dev libsasl2-dev libssl-dev libzstd-dev
              rapidjson-dev zlib1g-dev libcurl4-openssl-dev bc)
  local missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$work/apt.log" 2>&1 \
      || { as_root apt-get update -qq; as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$work/apt.log" 2>&1; }
  fi
}

fetch_source() {
  if [ -f "$work/src.stamp" ] && [ -d "$(cat "$work/src.stamp")" ]; then return 0; fi
  ensure_deb_src
  rm -rf "$work/src"; mkdir -p "$work/src"
  log "apt-get source librdkafka"
  (cd "$work/src" && apt-get source -qq librdkafka >&2) \
    || { as_root apt-get update -qq; (cd "$work/src" && apt-get source -qq librdkafka >&2); }
  local dir
  dir="$(find "$work/src" -mindepth 1 -maxdepth 1 -type d -name 'librdkafka-*' | head -1)"
  [ -n "$dir" ] || { log "apt-get source left no librdkafka-* directory"; exit 1; }
  echo "$dir" > "$work/src.stamp"
}

build() {
  local dir; dir="$(cat "$work/src.stamp")"
  if [ -f "$work/build.stamp" ] && [ -x "$dir/tests/test-runner" ]; then return 0; fi
  local t0=$SECONDS
  log "configure + make in $dir (-j$jobs)"
  (cd "$dir" && ./configure >"$work/configure.log" 2>&1) || { tail -20 "$work/configure.log" >&2; exit 1; }
  grep -q RAPIDJSON "$dir/Makefile.config" || log "warning: built without rapidjson (0053 0098 0101 0110 will skip)"
  make -C "$dir" -j"$jobs" libs >"$work/make-libs.log" 2>&1 || { tail -30 "$work/make-libs.log" >&2; exit 1; }
  # Not a bare `make -C tests`: its default target runs the whole suite.
  make -C "$dir/tests" -j"$jobs" build >"$work/make-tests.log" 2>&1 || { tail -30 "$work/make-tests.log" >&2; exit 1; }
  [ -x "$dir/tests/test-runner" ] || { log "no tests/test-runner after build"; exit 1; }
  date -u +%FT%TZ > "$work/build.stamp"
  log "built in $((SECONDS - t0)) s"
}

ensure_build_deps
fetch_source
build
cat "$work/src.stamp"
