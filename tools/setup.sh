#!/usr/bin/env bash
# Installs the Debian packages Samsa needs to build and test, if any is missing.
# Idempotent: when everything is installed it only checks (about a second).
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ clang libclang-rt-14-dev ccache pkg-config python3
  # product libraries
  libboost-dev libssl-dev libspdlog-dev libfmt-dev libzstd-dev liblz4-dev libsnappy-dev zlib1g-dev
  # tests and benchmarks
  libgtest-dev libbenchmark-dev librdkafka-dev kcat python3-confluent-kafka python3-kafka
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
