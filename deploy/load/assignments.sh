#!/usr/bin/env bash
# POST /v1/assignments under wrk, against a bare pekko-http endpoint with a fixed body of the same
# size, in the same run and JVM. Loopback only, bounded duration. Needs wrk (Debian: apt-get install
# -y wrk) and the benchmarks jar (mvn -B -o package -pl benchmarks -am -DskipTests).
# Usage: deploy/load/assignments.sh [duration=20s] [connections=32] [threads=2]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20s}; CONNECTIONS=${2:-32}; THREADS=${3:-2}
OURS=18080; BARE=18081
JAR=benchmarks/target/benchmarks.jar
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -f "$JAR" ] || { echo "$JAR is missing: mvn -B -o package -pl benchmarks -am -DskipTests" >&2; exit 1; }

java -Xmx512m -cp "$JAR" org.abtest.benchmarks.LoadServers $OURS $BARE >/tmp/abtest-load-servers.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do grep -q "bare on" /tmp/abtest-load-servers.log && break; sleep 0.5; done
cat /tmp/abtest-load-servers.log | grep "bare on"

LUA=$(mktemp --suffix .lua)
cat >"$LUA" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer load-sdk-key"
local countries = {"US", "CA", "FR", "DE"}
local platforms = {"ios", "android"}
local n = 0
request = function()
  n = n + 1
  local body = string.format(
    '{"unit":"user-%d","log":false,"attributes":{"country":"%s","platform":"%s","appVersion":"%d.%d.0","age":%d}}',
    n, countries[n % 4 + 1], platforms[n % 2 + 1], n % 5, n % 7, 18 + n % 60)
  return wrk.format(nil, "/v1/assignments", nil, body)
end
LUA

run() { wrk -t"$THREADS" -c"${CONN:-$CONNECTIONS}" -d"$1" --latency -s "$LUA" "http://127.0.0.1:$2" 2>&1; }
rate() { awk '/Requests\/sec/ {print int($2)}'; }

echo "== warm-up (both)"; run 5s $OURS >/dev/null; run 5s $BARE >/dev/null
echo "== max throughput: ours"; OUT_OURS=$(run "$DURATION" $OURS); echo "$OUT_OURS" | grep -E "Requests/sec|99%|Non-2xx"
echo "== max throughput: bare"; OUT_BARE=$(run "$DURATION" $BARE); echo "$OUT_BARE" | grep -E "Requests/sec|99%|Non-2xx"
R_OURS=$(echo "$OUT_OURS" | rate); R_BARE=$(echo "$OUT_BARE" | rate)
echo "throughput ratio ours/bare: $(awk -v a="$R_OURS" -v b="$R_BARE" 'BEGIN {printf "%.2f", a/b}')"
# p99 at half of the bare endpoint's throughput needs a constant-rate generator (wrk2's -R);
# Debian's wrk has no -R, so this step runs only when wrk2 is installed as wrk2.
if command -v wrk2 >/dev/null; then
  HALF=$((R_BARE / 2))
  echo "== ours at half load ($HALF req/s)"
  wrk2 -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -R"$HALF" --latency -s "$LUA" "http://127.0.0.1:$OURS" | grep -E "Requests/sec|99.000%"
else
  # Without a constant-rate generator, lower load comes from fewer connections: report the rate it
  # reached (compare with half the bare throughput) and its p99.
  for c in 1 2 4; do
    echo "== ours with $c connection(s)"; CONN=$c THREADS=1 run "$DURATION" $OURS | sed -n 's/^ *\(Requests\/sec.*\|99%.*\)$/\1/p' | sed "s/^/  c=$c /"
  done
fi
