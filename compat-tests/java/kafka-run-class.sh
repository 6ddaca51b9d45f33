#!/usr/bin/env bash
# Kafka's bin/kafka-run-class.sh for a directory of Maven jars (no tarball):
#   <KAFKA_HOME>/bin/kafka-run-class.sh <main class> [args]
# KAFKA_HOME is the parent of this script's directory (not resolving symlinks):
# libs/*.jar is the classpath, config/ holds the logging configs. Honours the
# variables Kafka's script honours: CLASSPATH (appended), KAFKA_HEAP_OPTS,
# KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_LOG4J_OPTS, KAFKA_OPTS, JAVA_HOME, JMX_PORT.
# Tools log WARN and above to stderr, so stdout carries only their output.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 <main class> [args]" >&2; exit 1; }
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cp="$home/libs/*"
[ -n "${CLASSPATH:-}" ] && cp="$cp:$CLASSPATH"
java="java"; [ -n "${JAVA_HOME:-}" ] && java="$JAVA_HOME/bin/java"

if [ -z "${KAFKA_LOG4J_OPTS:-}" ]; then
  if compgen -G "$home/libs/log4j-core-*.jar" >/dev/null; then   # 4.x: Log4j2
    KAFKA_LOG4J_OPTS="-Dlog4j2.configurationFile=$home/config/tools-log4j2.properties"
  else                                                          # 3.x: reload4j
    KAFKA_LOG4J_OPTS="-Dlog4j.configuration=file:$home/config/tools-log4j.properties"
  fi
fi
heap="${KAFKA_HEAP_OPTS:--Xmx256M}"
perf="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}"
jmx=""
[ -n "${JMX_PORT:-}" ] && jmx="-Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false -Dcom.sun.management.jmxremote.port=$JMX_PORT"
logs="${LOG_DIR:-$home/logs}"

# shellcheck disable=SC2086  # the *_OPTS variables are word lists, as in Kafka's script
exec "$java" $heap $perf $jmx -Dkafka.logs.dir="$logs" -Duser.language=en -Duser.country=US \
  $KAFKA_LOG4J_OPTS ${KAFKA_OPTS:-} -cp "$cp" "$@"
