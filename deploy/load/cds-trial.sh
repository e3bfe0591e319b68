#!/usr/bin/env bash
# Class-data sharing for the node's warm-up (docs/benchmarks.md "Soak"): time to ready, the node's
# CPU until then, and the first minute's throughput and CPU per event, without and with
# `LocalCluster --cds`, alternating on fresh data each time (soak.sh with no soak minutes and no
# raw Kafka). A first --cds run records the archive (cluster-node/target/cds/node.jsa) when its
# node stops; it is not counted. Usage: deploy/load/cds-trial.sh [rounds=2]
set -euo pipefail
# The whole script is read before it runs (main), so editing it during a run is safe.
main() {
cd "$(dirname "$0")/../.."
ROUNDS=${1:-2}
OUT=benchmarks/target/soak
ARCHIVE=cluster-node/target/cds/node.jsa
trial() { # label, LocalCluster flags
  # The last run's sockets on these ports linger in TIME_WAIT for up to 60 s, and a bind then
  # fails ("already in use"): wait them out.
  while ss -tan | grep -q ":${SOAK_PORT_PREFIX:-44}042 "; do sleep 5; done
  SOAK_NODE_FLAGS="$2" SOAK_WARMUP=0 SOAK_MAX_SECONDS=60 SOAK_RAW_RECORDS=0 \
    deploy/load/soak.sh 0 0.8 >"$OUT/cds-$1.log" 2>&1 || echo "$1: the run failed, see $OUT/cds-$1.log"
  local ready first cpu
  ready=$(awk '/^Node ready in/ {print $4}' "$OUT/cluster.log")
  cpu=$(awk -F'node CPU until now ' '/node CPU until now/ {split($2, a, " "); print a[1]}' "$OUT/cds-$1.log")
  first=$(grep '^max ' "$OUT/cds-$1.log" | sed 's/^max (unpaced, 60 s after 0 s of warm-up): //')
  echo "$1: ready in $ready s, node CPU until ready ${cpu} s; first minute: $first"
}
if [ ! -f "$ARCHIVE" ]; then
  rm -f "$ARCHIVE"
  trial record --cds >/dev/null
  ls -la "$ARCHIVE" || { echo "no archive was recorded" >&2; exit 1; }
fi
for round in $(seq 1 "$ROUNDS"); do
  trial "off-$round" ""
  trial "cds-$round" --cds
done
}
main "$@"
