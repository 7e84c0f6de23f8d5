#!/usr/bin/env bash
# The gateway's overhead: the same Chord GET, direct to node 0 and through the gateway, in one
# run of one lab. wrk runs alternate direct / gateway ROUNDS times so drift hits both alike.
#
#   scripts/bench-gateway.sh                          4 nodes, 1000 keys, 2 rounds of 20 s each
#   BENCH_DURATION=30s BENCH_CONNECTIONS=32 scripts/bench-gateway.sh
#
# The lab runs with C2 (LAB_JAVA_OPTS=-XX:TieredStopAtLevel=4) unless LAB_JAVA_OPTS is set.
# Needs wrk (apt-get install -y wrk) and curl; uses the lab's default ports; stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
NODES=${BENCH_NODES:-4}
KEYS=${BENCH_KEYS:-1000}
DURATION=${BENCH_DURATION:-20s}
CONNS=${BENCH_CONNECTIONS:-16}
ROUNDS=${BENCH_ROUNDS:-2}
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
curl -s --parallel --parallel-max 8 -K "$data/put.curl"

lua=scripts/chord-random-keys.lua
run() { # label url prefix
  BENCH_PATH=$3 BENCH_KEYS=$KEYS timeout 120 wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$lua" "$2" > "$data/wrk.txt"
  awk -v label="$1" '/^RESULT/ {
      for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "| %s | %.0f | %.2f | %.2f | %.2f | %d | %d |\n", label, v["rps"], v["p50_ms"], v["p90_ms"], v["p99_ms"], v["socket_errors"], v["non2xx"]
    }' "$data/wrk.txt"
}
# warm-up of both paths (JIT), not reported
BENCH_PATH=/chord/dht/ BENCH_KEYS=$KEYS wrk -t2 -c"$CONNS" -d15s -s "$lua" http://127.0.0.1:8080 > /dev/null
BENCH_PATH=/dht/ BENCH_KEYS=$KEYS wrk -t2 -c"$CONNS" -d10s -s "$lua" http://127.0.0.1:8086 > /dev/null

echo "# bench-gateway $(date -u +%Y-%m-%dT%H:%MZ): $NODES chord nodes, $KEYS keys, wrk -t2 -c$CONNS -d$DURATION, LAB_JAVA_OPTS=$LAB_JAVA_OPTS, $(nproc) CPUs"
echo
echo "| path | requests/s | p50 ms | p90 ms | p99 ms | socket errors | non-2xx |"
echo "|---|---|---|---|---|---|---|"
for ((r = 1; r <= ROUNDS; r++)); do
  run "direct: GET :8086/dht/{key} (round $r)" http://127.0.0.1:8086 /dht/ | tee -a "$data/direct.rows"
  run "gateway: GET :8080/chord/dht/{key} (round $r)" http://127.0.0.1:8080 /chord/dht/ | tee -a "$data/gateway.rows"
done
echo
awk -F'|' 'FNR == NR { dr += $3; dp += $4; n++; next } { gr += $3; gp += $4; m++ }
  END { printf "gateway / direct: throughput %.0f%%, p50 +%.0f%% (means over %d rounds)\n", 100 * (gr / m) / (dr / n), 100 * ((gp / m) / (dp / n) - 1), n }' \
  "$data/direct.rows" "$data/gateway.rows"
