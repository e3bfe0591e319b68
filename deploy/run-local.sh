#!/usr/bin/env bash
# Runs the platform on this machine: real Cassandra and Kafka (their own JVMs, from Maven Central
# jars) and a single-node cluster. Builds what is missing first. Data lives in .abtest-data/ and
# survives restarts; Ctrl-C stops all three. Options: see `deploy/run-local.sh --help`;
# `deploy/run-local.sh --regions 2` runs two regions instead.
# `--demo` adds demo experiments with simulated traffic for the console at /console.
set -euo pipefail
cd "$(dirname "$0")/.."

needs_build() {
  [ -f cluster-node/target/classpath.txt ] || return 0
  [ -f deploy/launcher/target/classes/org/abtest/deploy/LocalCluster.class ] || return 0
  [ -f deploy/cassandra-server/target/classpath.txt ] || return 0
  [ -f deploy/kafka-server/target/classpath.txt ] || return 0
  # Any source, pom or console asset newer than the last build means the build is stale.
  [ -n "$(find . \( -path ./.abtest-data -o -path '*/target' \) -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -name '*.conf' -o -path '*/abtest-console/*' \) \
      -newer cluster-node/target/classpath.txt -print -quit)" ] && return 0
  return 1
}

if needs_build; then
  echo "Building (first run: Maven downloads the stack, a few minutes)..."
  mvn -B -q -DskipTests -Dspotless.check.skip=true install
  touch cluster-node/target/classpath.txt
fi

# Dev credentials: from the environment when set, else generated once and kept (mode 600) in
# .abtest-data/credentials.env, so restarts and the README's walk-through use the same ones.
creds=.abtest-data/credentials.env
if [ -z "${ABTEST_ADMIN_TOKEN:-}" ] || [ -z "${ABTEST_SDK_KEY:-}" ]; then
  if [ ! -f "$creds" ]; then
    mkdir -p .abtest-data
    (umask 077
     printf 'ABTEST_ADMIN_TOKEN=adm_%s\nABTEST_SDK_KEY=sdk_%s\n' \
       "$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" "$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" > "$creds")
  fi
  set -a; . "$creds"; set +a
fi
echo "Admin token: $ABTEST_ADMIN_TOKEN"
echo "SDK key:     $ABTEST_SDK_KEY"
echo "(kept in $creds; 'source $creds' in another shell to use them)"

# --regions N: N regions, each its own Cassandra data center, Kafka and cluster (LocalRegions).
if [ "${1:-}" = "--regions" ]; then
  exec java -cp deploy/launcher/target/classes org.abtest.deploy.LocalRegions up "${2:?--regions needs a number}" "${@:3}"
fi
exec java -cp deploy/launcher/target/classes org.abtest.deploy.LocalCluster up --node "$@"
