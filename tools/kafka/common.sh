# Sourced by the scripts in tools/kafka/: where the Kafka jars live and how to run a Java main
# class from them the way Kafka's bin/kafka-run-class.sh would (there is no tarball, so no bin/).
#
# Environment (all optional):
#   KAFKA_VERSION    Kafka version to fetch and run (default below: newest 4.x Maven Central served
#                    when this was written; 3.9.x also works, see README.md)
#   KAFKA_DIST       cache folder (default <repo>/build/kafka-dist, git-ignored)
#   KAFKA_HEAP_OPTS  overrides the heap flags, as with Kafka's own scripts
#   JAVA             java binary (default: java on PATH; Kafka 4.x needs 17+)

KAFKA_TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SAMSA_REPO="$(cd "$KAFKA_TOOLS_DIR/../.." && pwd)"
KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
KAFKA_DIST="${KAFKA_DIST:-$SAMSA_REPO/build/kafka-dist}"
KAFKA_HOME="$KAFKA_DIST/$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_HOME/libs"
JAVA="${JAVA:-java}"
PYTHON="${PYTHON:-/usr/bin/python3}"

kafka_major() { echo "${KAFKA_VERSION%%.*}"; }

kafka_require_dist() {
  if [ ! -f "$KAFKA_HOME/stamp" ] || [ ! -d "$KAFKA_LIBS" ]; then
    echo "kafka: $KAFKA_VERSION is not fetched; run tools/kafka/fetch.sh first" >&2
    return 1
  fi
}

# The flags bin/kafka-run-class.sh adds (KAFKA_JVM_PERFORMANCE_OPTS), minus JMX: we never expose it.
KAFKA_JVM_PERFORMANCE_OPTS=(-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
  -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true
  # printf in the tools follows the JVM locale; keep decimals parseable.
  -Duser.language=en -Duser.country=US)

# kafka_log_opts server|tools <log dir>: the logging flags for this Kafka major version.
kafka_log_opts() {
  local kind="$1" logdir="$2"
  if [ "$(kafka_major)" -ge 4 ]; then
    echo "-Dlog4j2.configurationFile=$KAFKA_TOOLS_DIR/log4j2-$kind.properties -Dkafka.logs.dir=$logdir"
  else
    echo "-Dlog4j.configuration=file:$KAFKA_TOOLS_DIR/log4j-$kind.properties -Dkafka.logs.dir=$logdir"
  fi
}

# kafka_main_class <alias or class>: bin/ script names (without kafka- and .sh) to main classes.
# Only the aliases the harnesses use; any fully qualified class passes through.
kafka_main_class() {
  case "$1" in
    server) echo kafka.Kafka ;;
    storage) echo kafka.tools.StorageTool ;;
    topics) echo org.apache.kafka.tools.TopicCommand ;;
    configs) if [ "$(kafka_major)" -ge 4 ] && kafka_has_class org/apache/kafka/tools/ConfigCommand; then
               echo org.apache.kafka.tools.ConfigCommand; else echo kafka.admin.ConfigCommand; fi ;;
    producer-perf-test) echo org.apache.kafka.tools.ProducerPerformance ;;
    consumer-perf-test) echo org.apache.kafka.tools.ConsumerPerformance ;;
    e2e-latency) echo org.apache.kafka.tools.EndToEndLatency ;;
    get-offsets) echo org.apache.kafka.tools.GetOffsetShell ;;
    console-consumer) echo org.apache.kafka.tools.consumer.ConsoleConsumer ;;
    console-producer) if [ "$(kafka_major)" -ge 4 ]; then echo org.apache.kafka.tools.ConsoleProducer;
                      else echo kafka.tools.ConsoleProducer; fi ;;
    broker-api-versions) if [ "$(kafka_major)" -ge 4 ]; then echo org.apache.kafka.tools.BrokerApiVersionsCommand;
                         else echo kafka.admin.BrokerApiVersionsCommand; fi ;;
    dump-log) echo kafka.tools.DumpLogSegments ;;
    *) echo "$1" ;;
  esac
}

# kafka_has_class a/b/C: whether any jar in libs/ holds that class.
kafka_has_class() {
  local jar
  for jar in "$KAFKA_LIBS"/kafka*.jar; do
    unzip -l "$jar" "$1.class" >/dev/null 2>&1 && return 0
  done
  return 1
}

# kafka_default_heap <alias>: the heap Kafka's own bin/ scripts give each tool when
# KAFKA_HEAP_OPTS is unset.
kafka_default_heap() {
  case "$1" in
    server) echo "-Xmx1G -Xms1G" ;;
    producer-perf-test|consumer-perf-test|console-producer|console-consumer) echo "-Xmx512M" ;;
    *) echo "-Xmx256M" ;;
  esac
}
