#!/usr/bin/env bash
# The soak (issue 14, docs/benchmarks.md "Soak"): the node's max events/s unpaced, then `fraction`
# of it for `minutes`, one line a minute (Soak.java), then raw Kafka's produce and consume ceilings
# on the same broker with the events topic's settings (kafka-tools' ProducerPerformance and
# ConsumerPerformance, 160-byte records, acks=all, idempotence) and our rate over raw Kafka's.
# On demand only, never in `mvn verify`.
#
# Usage: [options as env] deploy/load/soak.sh [minutes=30] [fraction=0.8]
#   SOAK_UNITS=2000000    fixed unit population (new units stop once all have been used)
#   SOAK_SENDERS=4 SOAK_WARMUP=60 SOAK_MAX_SECONDS=60
#   SOAK_RAW_RECORDS=3000000   records for the raw Kafka runs (0: none)
#   SOAK_PORT_PREFIX=4x   ports 4x042 (CQL), 4x000/4x001 (storage), 4x199 (JMX), 4x092/4x093
#                         (Kafka), 4x080 (HTTP); default 44, off run-local.sh's own defaults
#   SOAK_DATA_DIR=target/soak-data   wiped at the start: a soak needs fresh state
#   SOAK_EXTERNAL=1       use a cluster already running on those ports and that data dir
#   SOAK_NODE_FLAGS="--cds"  more LocalCluster flags (e.g. the class-data sharing trial)
#   SOAK_SERVER_HEAP=1g   -Xmx of Cassandra and Kafka each: every snapshot rewrites the whole unit
#                         state (~300 MB for 1M units), which a 512m Cassandra did not survive for
#                         30 minutes (OutOfMemoryError after 24 min on 2026-12-02)
# Needs: the build (mvn -B -o package -pl benchmarks,deploy/launcher,deploy/cassandra-server,
# deploy/kafka-server -am -Dmaven.test.skip=true); kafka-tools is fetched into target/kafka-tools.
set -euo pipefail
# The whole script is read before it runs (main), so editing it during a run is safe.
main() {
cd "$(dirname "$0")/../.."
MINUTES=${1:-30}; FRACTION=${2:-0.8}
P=${SOAK_PORT_PREFIX:-44}
DATA=$(realpath -m "${SOAK_DATA_DIR:-target/soak-data}")
OUT=benchmarks/target/soak
JAR=benchmarks/target/benchmarks.jar
KAFKA_TOOLS_VERSION=4.4.0 # the broker's version: deploy/kafka-server/pom.xml
mkdir -p "$OUT"
[ -f "$JAR" ] || { echo "$JAR is missing: build first (see the header of $0)" >&2; exit 1; }

# kafka-tools and its dependencies, resolved by Maven into target/ (not a dependency of ours).
TOOLS=target/kafka-tools
if [ ! -d "$TOOLS/lib" ]; then
  mkdir -p "$TOOLS"
  cat >"$TOOLS/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>org.abtest.soak</groupId><artifactId>kafka-tools-lib</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies><dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId>
    <version>$KAFKA_TOOLS_VERSION</version></dependency></dependencies>
</project>
POM
  mvn -B -q -f "$TOOLS/pom.xml" dependency:copy-dependencies -DoutputDirectory=lib
fi

export ABTEST_HTTP_PORT=${P}080
# Dev credentials for the node (the data dir is wiped, so they are kept beside the results).
if [ -z "${ABTEST_ADMIN_TOKEN:-}" ] || [ -z "${ABTEST_SDK_KEY:-}" ]; then
  creds=$OUT/credentials.env
  [ -f "$creds" ] || (umask 077
    printf 'ABTEST_ADMIN_TOKEN=adm_%s\nABTEST_SDK_KEY=sdk_%s\n' \
      "$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" "$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" >"$creds")
  set -a; . "$creds"; set +a
fi
CLUSTER_PID=
if [ -z "${SOAK_EXTERNAL:-}" ]; then
  LOG="$OUT/cluster.log"
  # shellcheck disable=SC2086
  java -cp deploy/launcher/target/classes org.abtest.deploy.LocalCluster up --node --wipe \
    --data-dir "$DATA" --cql-port ${P}042 --storage-port ${P}000 --ssl-storage-port ${P}001 \
    --jmx-port ${P}199 --kafka-port ${P}092 --kafka-controller-port ${P}093 \
    --http-port "$ABTEST_HTTP_PORT" --heap "${SOAK_SERVER_HEAP:-1g}" ${SOAK_NODE_FLAGS:-} >"$LOG" 2>&1 &
  CLUSTER_PID=$!
  trap 'kill $CLUSTER_PID 2>/dev/null; wait $CLUSTER_PID 2>/dev/null || true' EXIT
  until grep -q "^Running\." "$LOG"; do
    kill -0 $CLUSTER_PID 2>/dev/null || { echo "the cluster did not start:" >&2; tail -30 "$LOG" >&2; exit 1; }
    sleep 2
  done
  grep -E "ready (at|in)" "$LOG"
fi

java -Xmx512m -Dsoak.dataDir="$DATA" -Dsoak.out="$OUT" -Dsoak.clkTck="$(getconf CLK_TCK)" \
  -cp "$JAR" org.abtest.benchmarks.Soak "$MINUTES" "$FRACTION" "${SOAK_UNITS:-2000000}" \
  "${SOAK_SENDERS:-4}" "${SOAK_WARMUP:-60}" "${SOAK_MAX_SECONDS:-60}"

# Raw Kafka on the same broker, after the soak (so neither disturbs the other): a new topic with
# the events topic's partitions, replication and configs, the node's producer settings.
N=${SOAK_RAW_RECORDS:-3000000}
[ "$N" -gt 0 ] || return 0
BOOTSTRAP=127.0.0.1:${P}092
RAW=$(java -cp "$JAR" org.abtest.benchmarks.RawKafkaTopic "$BOOTSTRAP" "$OUT/raw-producer.properties" 2> >(grep -v '^SLF4J' >&2))
echo "$RAW"
TOPIC=$(echo "$RAW" | awk '/^topic / {print $2}')
PRODUCED=$(java -Xmx512m -cp "$TOOLS/lib/*" org.apache.kafka.tools.ProducerPerformance --topic "$TOPIC" \
  --num-records "$N" --record-size 160 --throughput -1 --producer.config "$OUT/raw-producer.properties" 2> >(grep -v '^SLF4J' >&2) | tail -1 || true)
echo "raw produce: $PRODUCED"
SENT=$(echo "$PRODUCED" | awk '{print $1}')
CONSUMED=$(java -Xmx512m -cp "$TOOLS/lib/*" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" \
  --topic "$TOPIC" --messages "$SENT" --timeout 60000 2> >(grep -v '^SLF4J' >&2) | tail -1 || true)
echo "raw consume (start, end, MB, MB/s, records, records/s, ...): $CONSUMED"
. "$OUT/summary.env"
RAW_RATE=$(echo "$PRODUCED" | awk -F, '{split($2, a, " "); print a[1]}')
awk -v ours="$SOAK_MAX_EVENTS_PER_S" -v soak="$SOAK_MEAN_EVENTS_PER_S" -v raw="$RAW_RATE" 'BEGIN {
  printf "ratio to raw Kafka produce (%.0f records/s): max %.3f, soak mean %.3f\n", raw, ours / raw, soak / raw }'
}
main "$@"
