#!/usr/bin/env bash
# The gateway's overhead: the same Chord GET, direct to node 0 and through the gateway, in one
# run of one lab. wrk runs alternate direct / gateway ROUNDS times so drift hits both alike.
#
#   scripts/bench-gateway.sh                          4 nodes, 1000 keys, 160 s warm-up, 3 rounds of 20 s (about 5 min)
#   BENCH_DURATION=30s BENCH_CONNECTIONS="1 16 64" scripts/bench-gateway.sh   (connection counts to compare)
#
# The lab runs with C2 (LAB_JAVA_OPTS=-XX:TieredStopAtLevel=4) unless LAB_JAVA_OPTS is set.
# Needs wrk (apt-get install -y wrk) and curl; uses the lab's default ports; stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
NODES=${BENCH_NODES:-4}
KEYS=${BENCH_KEYS:-1000}
DURATION=${BENCH_DURATION:-20s}
CONNS_LIST=${BENCH_CONNECTIONS:-1 16}
CONNS=${CONNS_LIST##* }
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP=${BENCH_WARMUP:-40s}
export LAB_JAVA_OPTS=${LAB_JAVA_OPTS:--XX:TieredStopAtLevel=4}
command -v wrk > /dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }

data=$(mktemp -d /tmp/bench-gateway.XXXXXX)
timeout 900 ./lab.sh --chord-nodes "$NODES" --data "$data" > "$data/lab.out" 2>&1 &
lab=$!
trap './lab.sh stop --data "$data" > /dev/null 2>&1 || true; wait $lab 2> /dev/null || true' EXIT
for _ in $(seq 1 360); do grep -q "p2plab is up" "$data/lab.out" && break; kill -0 $lab || { cat "$data/lab.out"; exit 1; }; sleep 0.5; done
grep -q "p2plab is up" "$data/lab.out" || { echo "the lab did not start" >&2; exit 1; }

for ((k = 0; k < KEYS; k++)); do
  printf 'url = "http://127.0.0.1:8086/dht/bench-%d"\nrequest = "PUT"\ndata = "value-%d"\noutput = "/dev/null"\n' "$k" "$k"
  [ $k -lt $((KEYS - 1)) ] && echo next
done > "$data/put.curl"
curl -sS --no-progress-meter --parallel --parallel-max 8 -K "$data/put.curl"

lua=scripts/chord-random-keys.lua
descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
jvm_pid() { # the java process running <name>-<version>.jar
  for p in $(descendants "$lab"); do
    if [ "$(cat "/proc/$p/comm" 2> /dev/null)" = java ] && tr '\0' ' ' < "/proc/$p/cmdline" | grep -q -- "-jar [^ ]*$1-[0-9][^ ]*\.jar"; then
      echo "$p"; return 0
    fi
  done
  echo "no $1 JVM found" >&2; return 1
}
chord_pid=$(jvm_pid chord-node)
gateway_pid=$(jvm_pid gateway)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() { # label url prefix connections
  local c0 g0 c1 g1
  c0=$(cpu_ticks "$chord_pid"); g0=$(cpu_ticks "$gateway_pid")
  BENCH_PATH=$3 BENCH_KEYS=$KEYS timeout 120 wrk -t"$(( $4 < 2 ? 1 : 2 ))" -c"$4" -d"$DURATION" --latency -s "$lua" "$2" > "$data/wrk.txt"
  c1=$(cpu_ticks "$chord_pid"); g1=$(cpu_ticks "$gateway_pid")
  # CPU milliseconds per request spent in the Chord nodes' JVM and in the gateway's
  awk -v label="$1" -v dc=$((c1 - c0)) -v dg=$((g1 - g0)) -v hz="$(getconf CLK_TCK)" '/^RESULT/ {
      for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "| %s | %.0f | %.2f | %.2f | %.2f | %d | %d | %.2f | %.2f |\n", label, v["rps"], v["p50_ms"], v["p90_ms"], v["p99_ms"],
        v["socket_errors"], v["non2xx"], 1000 * dc / hz / v["requests"], 1000 * dg / hz / v["requests"]
    }' "$data/wrk.txt"
}
# warm-up of both paths until C2 has compiled the hot code (measured: 25 s is not enough), not reported
for _ in 1 2; do
  BENCH_PATH=/chord/dht/ BENCH_KEYS=$KEYS wrk -t2 -c"$CONNS" -d"$WARMUP" -s "$lua" http://127.0.0.1:8080 > /dev/null
  BENCH_PATH=/dht/ BENCH_KEYS=$KEYS wrk -t2 -c"$CONNS" -d"$WARMUP" -s "$lua" http://127.0.0.1:8086 > /dev/null
done

echo "# bench-gateway $(date -u +%Y-%m-%dT%H:%MZ): $NODES chord nodes, $KEYS keys, wrk -d$DURATION, connections: $CONNS_LIST, LAB_JAVA_OPTS=$LAB_JAVA_OPTS, $(nproc) CPUs"
echo
echo "| path | connections | requests/s | p50 ms | p90 ms | p99 ms | socket errors | non-2xx | chord CPU ms/req | gateway CPU ms/req |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for c in $CONNS_LIST; do
  for ((r = 1; r <= ROUNDS; r++)); do
    run "direct: GET :8086/dht/{key} (round $r) | $c" http://127.0.0.1:8086 /dht/ "$c" | tee -a "$data/direct-$c.rows"
    run "gateway: GET :8080/chord/dht/{key} (round $r) | $c" http://127.0.0.1:8080 /chord/dht/ "$c" | tee -a "$data/gateway-$c.rows"
  done
done
echo
for c in $CONNS_LIST; do
  awk -F'|' -v c="$c" 'FNR == NR { dr += $4; dp += $5; n++; next } { gr += $4; gp += $5; m++ }
    END { printf "%s connection(s): gateway / direct throughput %.0f%%, p50 +%.0f%% (means over %d rounds)\n", c, 100 * (gr / m) / (dr / n), 100 * ((gp / m) / (dp / n) - 1), n }' \
    "$data/direct-$c.rows" "$data/gateway-$c.rows"
done
