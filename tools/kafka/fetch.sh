#!/usr/bin/env bash
# Fetches Apache Kafka's server and tools (org.apache.kafka:kafka_2.13 + kafka-tools, version
# $KAFKA_VERSION) with Maven into $KAFKA_DIST/<version>/libs, one folder holding every runtime jar,
# so that `java -cp 'libs/*' <main class>` runs what Kafka's bin/ scripts run.
#
#   tools/kafka/fetch.sh            # prints the libs folder; idempotent
#   KAFKA_VERSION=3.9.2 tools/kafka/fetch.sh
#
# Maven uses its default remote repository and a private local repository under $KAFKA_DIST/m2
# (so the cache is self-contained and a cold fetch is really cold). A stamp file records what was
# resolved (version + POM + this script); when it matches, nothing is run (well under a second).
set -euo pipefail
source "$(dirname "$0")/common.sh"

stamp_of() {
  { echo "kafka $KAFKA_VERSION"; cat "$KAFKA_TOOLS_DIR/pom.xml" "$KAFKA_TOOLS_DIR/fetch.sh"; } | sha256sum | cut -d' ' -f1
}
want="$(stamp_of)"
if [ -f "$KAFKA_HOME/stamp" ] && [ "$(cat "$KAFKA_HOME/stamp")" = "$want" ] && [ -d "$KAFKA_LIBS" ]; then
  echo "$KAFKA_LIBS"
  exit 0
fi

command -v mvn >/dev/null || { echo "fetch: mvn is not installed (apt-get install maven)" >&2; exit 1; }
mkdir -p "$KAFKA_HOME" "$KAFKA_DIST/m2"
tmp="$KAFKA_HOME/libs.tmp"
rm -rf "$tmp" "$KAFKA_HOME/stamp"

mvn_args=(-B -q -f "$KAFKA_TOOLS_DIR/pom.xml" -Dmaven.repo.local="$KAFKA_DIST/m2" -Dkafka.version="$KAFKA_VERSION")
if [ "$(kafka_major)" -lt 4 ]; then
  mvn_args+=(-P '!log4j2-binding')   # 3.x brings slf4j-reload4j through kafka-tools
fi

copy() {  # copy [extra mvn args]: every runtime jar into $tmp
  rm -rf "$tmp"
  mvn "${mvn_args[@]}" "$@" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" \
    > "$KAFKA_HOME/mvn.log" 2>&1 || { cat "$KAFKA_HOME/mvn.log" >&2; echo "fetch: mvn failed" >&2; exit 1; }
}

echo "fetch: resolving Kafka $KAFKA_VERSION with Maven into $KAFKA_HOME" >&2
copy
if [ "$(kafka_major)" -ge 4 ]; then
  # The SLF4J binding must match the log4j-core that Kafka pulls in; fix the POM's guess if not.
  core="$(ls "$tmp" | sed -nE 's/^log4j-core-(.+)\.jar$/\1/p')"
  binding="$(ls "$tmp" | sed -nE 's/^log4j-slf4j-impl-(.+)\.jar$/\1/p')"
  if [ -n "$core" ] && [ "$core" != "$binding" ]; then
    echo "fetch: log4j-core is $core, re-resolving the SLF4J binding at that version" >&2
    copy -Dlog4j2.version="$core"
  fi
  if ls "$tmp" | grep -q '^slf4j-api-2\.'; then
    echo "fetch: warning: slf4j-api 2.x resolved; the 1.7 binding would be ignored and logs lost" >&2
  fi
fi
for j in "kafka_2.13-$KAFKA_VERSION.jar" "kafka-tools-$KAFKA_VERSION.jar" "kafka-clients-$KAFKA_VERSION.jar"; do
  [ -f "$tmp/$j" ] || { echo "fetch: $j missing after resolution" >&2; exit 1; }
done

rm -rf "$KAFKA_LIBS"
mv "$tmp" "$KAFKA_LIBS"
echo "$want" > "$KAFKA_HOME/stamp"
echo "fetch: $(ls "$KAFKA_LIBS" | wc -l) jars, $(du -sh "$KAFKA_LIBS" | cut -f1)" >&2
echo "$KAFKA_LIBS"
