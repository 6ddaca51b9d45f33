#!/usr/bin/env bash
# Makes sure Debian's Python Kafka clients are installed (they load only in
# /usr/bin/python3). Needs root or sudo the first time.
#   compat-tests/python/setup.sh <work-root> <kafka-python|confluent-kafka>
set -euo pipefail
case "${2:?usage: setup.sh <work-root> <kafka-python|confluent-kafka>}" in
  kafka-python) pkgs=(python3-kafka python3-snappy python3-lz4 python3-zstandard); mod=kafka ;;
  confluent-kafka) pkgs=(python3-confluent-kafka); mod=confluent_kafka ;;
  *) echo "unknown client $2" >&2; exit 1 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_=(); [ "$(id -u)" = 0 ] || sudo_=(sudo -n)
  "${sudo_[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || { "${sudo_[@]}" apt-get update -qq; "${sudo_[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; }
fi
/usr/bin/python3 -c "import $mod" && echo "$mod"
