#!/usr/bin/env bash
# POST /v1/assignments under wrk, as a node binds it, against two bare pekko-http endpoints with a
# fixed body of the same size (a one-directive route, and a plain request handler), in the same run
# and JVM. Loopback only, bounded duration. Needs wrk (Debian: apt-get install
# -y wrk) and the benchmarks jar (mvn -B -o package -pl benchmarks -am -DskipTests).
# Usage: [ROUNDS=3] deploy/load/assignments.sh [duration=20s] [connections=32] [threads=2]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20s}; CONNECTIONS=${2:-32}; THREADS=${3:-2}
OURS=18080; BARE=18081; BARE_HANDLER=18082
JAR=benchmarks/target/benchmarks.jar
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -f "$JAR" ] || { echo "$JAR is missing: mvn -B -o package -pl benchmarks -am -DskipTests" >&2; exit 1; }

java -Xmx512m -cp "$JAR" org.abtest.benchmarks.LoadServers $OURS $BARE $BARE_HANDLER >/tmp/abtest-load-servers.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do grep -q "bare route on" /tmp/abtest-load-servers.log && break; sleep 0.5; done
cat /tmp/abtest-load-servers.log | grep "bare route on"

LUA=$(mktemp --suffix .lua)
cat >"$LUA" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sdk_load_key"
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
# The server JVM's CPU time (user + system, clock ticks), read around a run: CPU per request is
# steadier than throughput on a shared machine, and it leaves out the load generator's share.
ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
HZ=$(getconf CLK_TCK)
measured() { # port -> wrk output, then a line "cpu_us_per_request N"
  local before after out
  before=$(ticks); out=$(run "$DURATION" "$1"); after=$(ticks)
  echo "$out"
  echo "$out" | awk -v t=$((after - before)) -v hz="$HZ" '/^ *[0-9]+ requests in/ {printf "cpu_us_per_request %.1f\n", t * 1e6 / hz / $1}'
}
rate() { awk '/Requests\/sec/ {print int($2)}'; }

echo "== warm-up (all three, until the JIT has settled)"; run 30s $OURS >/dev/null; run 10s $BARE >/dev/null; run 10s $BARE_HANDLER >/dev/null
# The three take turns, ROUNDS times, so that load from elsewhere on a shared machine falls on all
# of them alike; each round's ratio is printed, and the median of the rounds is the result.
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
ROUNDS=${ROUNDS:-3}
: >"$LUA.ratios"
for round in $(seq 1 "$ROUNDS"); do
  OUT_OURS=$(measured $OURS); OUT_BARE=$(measured $BARE); OUT_BH=$(measured $BARE_HANDLER)
  if echo "$OUT_OURS$OUT_BARE$OUT_BH" | grep -q "Non-2xx"; then
    echo "some answers were not 200: the numbers do not measure assignments" >&2; exit 1
  fi
  R_OURS=$(echo "$OUT_OURS" | rate); R_BARE=$(echo "$OUT_BARE" | rate); R_BH=$(echo "$OUT_BH" | rate)
  line() { echo "$1" | awk -v n="$2" '/Requests\/sec/ {r = $2} / 99%/ {p = $2} /cpu_us_per_request/ {c = $2} END {printf "%-12s %9.0f req/s  p99 %-9s cpu %6.1f us/req\n", n, r, p, c}'; }
  echo "== round $round"
  line "$OUT_OURS" ours; line "$OUT_BARE" "bare route"; line "$OUT_BH" "bare handler"
  cpu() { echo "$1" | awk '/cpu_us_per_request/ {print $2}'; }
  echo "$R_OURS $R_BARE $R_BH $(cpu "$OUT_OURS") $(cpu "$OUT_BARE") $(cpu "$OUT_BH")" >>"$LUA.ratios"
done
R_BARE=$(awk '{print $2}' "$LUA.ratios" | median | awk '{print int($1)}')
R_BH=$(awk '{print $3}' "$LUA.ratios" | median | awk '{print int($1)}')
echo "throughput ratio ours/bare route, median of rounds:   $(awk '{print $1 / $2}' "$LUA.ratios" | median | awk '{printf "%.2f", $1}')"
echo "throughput ratio ours/bare handler, median of rounds: $(awk '{print $1 / $3}' "$LUA.ratios" | median | awk '{printf "%.2f", $1}')"
echo "server CPU per request, median of rounds: ours $(awk '{print $4}' "$LUA.ratios" | median) us, bare route $(awk '{print $5}' "$LUA.ratios" | median) us, bare handler $(awk '{print $6}' "$LUA.ratios" | median) us"
rm -f "$LUA.ratios"
# p99 at half of the bare endpoint's throughput needs a constant-rate generator (wrk2's -R);
# Debian's wrk has no -R, so this step runs only when wrk2 is installed as wrk2.
# Half of the faster bare endpoint's throughput: the stricter of the two readings of "half load".
HALF=$(( (R_BARE > R_BH ? R_BARE : R_BH) / 2 ))
if command -v wrk2 >/dev/null; then
  echo "== ours at half load ($HALF req/s)"
  wrk2 -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -R"$HALF" --latency -s "$LUA" "http://127.0.0.1:$OURS" | grep -E "Requests/sec|99.000%"
else
  # Debian's wrk has no -R; it paces instead: every connection waits 2 ms after each answer (wrk's
  # delay()), with as many connections as bring the rate near half the bare throughput (a
  # 5 s calibration run sets the count). The reached rate is printed next to the target.
  PACED_LUA=$(mktemp --suffix .lua)
  { cat "$LUA"; echo 'delay = function() return 2 end'; } >"$PACED_LUA"
  paced() { wrk -t"$THREADS" -c"$1" -d"$2" --latency -s "$PACED_LUA" "http://127.0.0.1:$3"; }
  # The same pacing against each endpoint: the bare ones show what the machine itself adds.
  for target in "ours $OURS" "bare-route $BARE" "bare-handler $BARE_HANDLER"; do
    set -- $target
    PACED=$(awk -v r="$HALF" 'BEGIN {c = int(r * 2.4 / 1000 + 0.5); print (c < 2 ? 2 : c)}')
    REACHED=$(paced "$PACED" 5s "$2" | rate)
    PACED=$(awk -v c="$PACED" -v r="$HALF" -v got="$REACHED" 'BEGIN {n = int(c * r / (got > 0 ? got : r) + 0.5); print (n < 2 ? 2 : n)}')
    echo "== $1 paced at ~$HALF req/s (half the faster bare endpoint's), $PACED connections"
    paced "$PACED" "$DURATION" "$2" | grep -E "Requests/sec|50%|99%|Non-2xx"
  done
  rm -f "$PACED_LUA"
fi
