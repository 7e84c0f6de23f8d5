#!/usr/bin/env bash
# Load test of a real DHT over loopback HTTP, end to end: a Chord ring, or with BENCH_SYSTEM=can
# a CAN space (same steps, same table):
#   1. builds the jars if needed,
#   2. starts `./lab.sh --only chord --chord-nodes 8` with a scratch --data directory (an empty ring; the
#      repository's own data/ is left alone) and C2 on (LAB_JAVA_OPTS=-XX:TieredStopAtLevel=4
#      unless LAB_JAVA_OPTS is set): the 8 nodes share one JVM, as in the lab,
#   3. waits until every node is healthy and all nodes agree on the owners of probe keys,
#   4. PUTs BENCH_KEYS keys bench-0.. (spread over the nodes) and samples hop counts,
#   5. runs wrk with scripts/chord-random-keys.lua: GET /lookup/bench-<rand> and GET /dht/bench-<rand>,
#      against node 0 only (-t2 -c16, -t2 -c64) and against all 8 nodes at once (one wrk per node,
#      16 and 64 connections in total),
#   6. stops the ring. A trap stops the ring and any wrk on every exit; the whole run is also
#      under a global time limit (BENCH_LIMIT seconds).
#
#   scripts/bench-chord-ring.sh                      # about 6 minutes
#   BENCH_SYSTEM=can scripts/bench-chord-ring.sh     # the same against 8 CAN nodes (d = 2)
#   BENCH_DURATION=30s BENCH_KEYS=10000 scripts/bench-chord-ring.sh
#
# Needs curl and wrk (apt-get install -y wrk). Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

SYSTEM=${BENCH_SYSTEM:-chord}
case "$SYSTEM" in chord|can) ;; *) echo "BENCH_SYSTEM must be chord or can, not $SYSTEM" >&2; exit 2 ;; esac
NODES=${BENCH_NODES:-8}
KEYS=${BENCH_KEYS:-10000}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-15s}
LIMIT=${BENCH_LIMIT:-1200}
HOP_SAMPLE=${BENCH_HOP_SAMPLE:-400}
command -v wrk > /dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
command -v curl > /dev/null || { echo "curl not found" >&2; exit 1; }

# the lab's ports: chord node i on 8086+100*i, can node i on 8087+100*i
port_of() { if [ "$SYSTEM" = chord ]; then echo $((8086 + 100 * $1)); else echo $((8087 + 100 * $1)); fi; }
for ((i = 0; i < NODES; i++)); do
  if curl -s -o /dev/null "http://127.0.0.1:$(port_of "$i")/"; then
    echo "port $(port_of "$i") is already in use: stop the running lab first" >&2; exit 1
  fi
done

export LAB_JAVA_OPTS=${LAB_JAVA_OPTS:--XX:TieredStopAtLevel=4}
work=$(mktemp -d "/tmp/$SYSTEM-bench.XXXXXX")
lab_pid=""
wrk_pids=()
descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
node_pids() { for p in $(descendants "$lab_pid"); do ps -o args= -p "$p" 2> /dev/null | grep -q "$SYSTEM-node.*--p2plab.lab.ports" && echo "$p"; done; }
# CPU used by the nodes' JVM over a window, in % of one core (from /proc/<pid>/stat utime + stime)
ring_cpu() {
  local secs=$1 before=0 after=0 p hz; hz=$(getconf CLK_TCK)
  for p in $(node_pids); do before=$((before + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  sleep "$secs"
  for p in $(node_pids); do after=$((after + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  awk -v a="$before" -v b="$after" -v hz="$hz" -v s="$secs" 'BEGIN { printf "%.0f", 100 * (b - a) / hz / s }'
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for p in "${wrk_pids[@]}"; do kill "$p" 2> /dev/null || true; done
  if [ -n "$lab_pid" ] && kill -0 "$lab_pid" 2> /dev/null; then
    echo "stopping the ring (lab.sh pid $lab_pid)..." >&2
    kill -TERM "$lab_pid" 2> /dev/null || true
    for _ in $(seq 1 60); do kill -0 "$lab_pid" 2> /dev/null || break; sleep 0.5; done
    if kill -0 "$lab_pid" 2> /dev/null; then
      for c in $(descendants "$lab_pid"); do kill -KILL "$c" 2> /dev/null || true; done
      kill -KILL "$lab_pid" 2> /dev/null || true
    fi
    wait "$lab_pid" 2> /dev/null || true
  fi
  echo "ring stopped; logs in $work/logs" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# the global limit: lab.sh stops its nodes on TERM (lab.sh builds the jars if they are missing)
timeout "$LIMIT" ./lab.sh --only "$SYSTEM" "--$SYSTEM-nodes" "$NODES" --no-prometheus --data "$work" > "$work/lab.out" 2>&1 &
lab_pid=$!

echo "# bench-chord-ring ($SYSTEM) $(date -u +%Y-%m-%dT%H:%MZ): $NODES nodes, $KEYS keys, wrk runs of $DURATION"
echo "# $(nproc) CPUs; $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2); lab.sh JVM flags + LAB_JAVA_OPTS=$LAB_JAVA_OPTS"

deadline=$((SECONDS + 180))
until grep -q "p2plab is up" "$work/lab.out"; do
  kill -0 "$lab_pid" 2> /dev/null || { cat "$work/lab.out" >&2; echo "lab.sh exited" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "ring did not start in 180s" >&2; exit 1; }
  sleep 1
done
echo "# all $NODES nodes healthy after ${SECONDS}s"

owner_of() { curl -sf "http://127.0.0.1:$1/lookup/$2" | grep -o '"owner":\({[^}]*}\|"[^"]*"\)' || echo none; }
agree=0
for _ in $(seq 1 120); do
  agree=1
  for k in probe-1 probe-2 probe-3 probe-4 probe-5 probe-6 probe-7 probe-8; do
    first=$(owner_of "$(port_of 0)" "$k")
    for ((i = 1; i < NODES; i++)); do
      [ "$(owner_of "$(port_of "$i")" "$k")" = "$first" ] || { agree=0; break 2; }
    done
  done
  [ "$agree" = 1 ] && break
  sleep 1
done
[ "$agree" = 1 ] || { echo "nodes do not agree on key owners after 120s" >&2; exit 1; }
sleep 5 # a few more rounds of fix_fingers
echo "# ring stable (all nodes agree on the owners of 8 probe keys) after ${SECONDS}s"

echo "# idle ring, no keys: the JVM of the $NODES nodes uses $(ring_cpu 10)% of one core (10 s window)"

# populate: one curl process, 16 transfers in parallel, keys spread over the nodes
put_cfg() { # key... -> a curl config with one PUT per key
  local k first=1
  for k in "$@"; do
    [ $first = 1 ] || echo next
    first=0
    printf 'url = "http://127.0.0.1:%s/dht/bench-%d"\nrequest = "PUT"\ndata = "value-%d"\noutput = "/dev/null"\nmax-time = 30\nwrite-out = "%%{http_code} %%{exitcode} %%{time_total} bench-%d\\n"\n' \
      "$(port_of $((k % NODES)))" "$k" "$k" "$k"
  done
}
put_cfg $(seq 0 $((KEYS - 1))) > "$work/put.curl"
t0=$(date +%s.%N)
curl -s --parallel --parallel-max 16 -K "$work/put.curl" > "$work/put.codes" || true
t1=$(date +%s.%N)
ok=$(grep -c '^20[14] ' "$work/put.codes" || true)
replaced=$(grep -c '^204 ' "$work/put.codes" || true)
echo "# populated: $ok of $KEYS PUTs answered 201/204 in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')s (one curl, --parallel-max 16, spread over $NODES nodes) = $(awk -v a="$t0" -v b="$t1" -v n="$KEYS" 'BEGIN{printf "%.0f", n/(b-a)}') PUT/s"
echo "#   PUT latency (curl time_total): $(awk '{print $3}' "$work/put.codes" | sort -n | awk '{v[NR]=$1} END {printf "p50 %.3fs, p99 %.3fs, max %.3fs", v[int(NR*0.5)], v[int(NR*0.99)], v[NR]}')"
if [ "$ok" -ne "$KEYS" ] || [ "$replaced" -gt 0 ]; then
  echo "#   odd: $replaced new keys answered 204 (already there: the node retried after a peer call failed); failures (http_code curl_exit count): $(awk '$1 !~ /^20[14]$/ {print $1 "/" $2}' "$work/put.codes" | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
  failed=$(awk '$1 !~ /^20[14]$/ {sub("bench-", "", $4); print $4}' "$work/put.codes")
  if [ -n "$failed" ]; then
    put_cfg $failed > "$work/retry.curl"
    curl -s -K "$work/retry.curl" > "$work/retry.codes" || true
    echo "#   retried $(wc -l < "$work/retry.codes") failed PUTs one at a time: $(grep -c '^20[14] ' "$work/retry.codes" || true) succeeded"
  fi
fi
sleep 5
echo "# idle ring, $KEYS keys: the JVM of the $NODES nodes uses $(ring_cpu 10)% of one core (10 s window)"

# hop counts on a sample: /lookup's "hops" and GET /dht's X-P2P-Hops, start nodes round-robin
hops_lookup=0; hops_get=0
for ((s = 0; s < HOP_SAMPLE; s++)); do
  k=$(( (s * 7919) % KEYS )); port=$(port_of $((s % NODES)))
  h=$(curl -sf "http://127.0.0.1:$port/lookup/bench-$k" | grep -o '"hops":[0-9]*' | cut -d: -f2)
  g=$(curl -sf -D - -o /dev/null "http://127.0.0.1:$port/dht/bench-$k" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-p2p-hops"{print $2}')
  hops_lookup=$((hops_lookup + h)); hops_get=$((hops_get + g))
done
echo "# mean hops over $HOP_SAMPLE keys: /lookup hops $(awk -v a=$hops_lookup -v n="$HOP_SAMPLE" 'BEGIN{printf "%.2f", a/n}'), GET /dht X-P2P-Hops $(awk -v a=$hops_get -v n="$HOP_SAMPLE" 'BEGIN{printf "%.2f", a/n}') $(if [ "$SYSTEM" = chord ]; then awk -v n="$NODES" 'BEGIN{printf "(paper: about 0.5 log2 N = %.1f)", 0.5*log(n)/log(2)}'; else awk -v n="$NODES" 'BEGIN{printf "(paper: (d/4) N^(1/d) = %.1f for d = 2)", 0.5*sqrt(n)}'; fi)"

lua="$repo/scripts/chord-random-keys.lua"
# merges the quantile dumps of several wrk processes (weights = their request counts)
merge() {
  cat "$@" | awk '$1 != "requests"' | sort -n -k1,1 | awk '
    { v[NR] = $1; w[NR] = $2; total += $2 }
    END {
      n = split("50 75 90 99", ps, " "); j = 1; acc = 0
      for (i = 1; i <= NR && j <= n; i++) {
        acc += w[i]
        while (j <= n && acc >= total * ps[j] / 100) { out[j] = v[i]; j++ }
      }
      printf "%.2f %.2f %.2f %.2f", out[1] / 1000, out[2] / 1000, out[3] / 1000, out[4] / 1000
    }'
}

echo
echo "| target | request | wrk | requests/s | p50 ms | p75 ms | p90 ms | p99 ms | socket errors | non-2xx |"
echo "|---|---|---|---|---|---|---|---|---|---|"

single() { # path threads connections
  local path=$1 t=$2 c=$3 f="$work/wrk-single.txt"
  BENCH_PATH=$path BENCH_KEYS=$KEYS timeout 120 wrk -t"$t" -c"$c" -d"$DURATION" --latency -s "$lua" "http://127.0.0.1:$(port_of 0)" > "$f"
  local rps p50 p75 p90 p99 res
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$f")
  # wrk prints "50%    3.21ms" (or us / s): convert to ms
  pct() { awk -v p="$1%" '$1 == p { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
            printf "%.2f", (u == "us" ? v / 1000 : (u == "s" ? v * 1000 : (u == "m" ? v * 60000 : v))) }' "$f"; }
  p50=$(pct 50); p75=$(pct 75); p90=$(pct 90); p99=$(pct 99)
  res=$(grep '^RESULT' "$f")
  echo "| node 0 | GET $path | -t$t -c$c -d$DURATION | $rps | $p50 | $p75 | $p90 | $p99 | $(sed 's/.*socket_errors=\([0-9]*\).*/\1/' <<< "$res") | $(sed 's/.*non2xx=\([0-9]*\).*/\1/' <<< "$res") |"
}

spread() { # path connections-per-node
  local path=$1 c=$2 pids=() i
  for ((i = 0; i < NODES; i++)); do
    BENCH_PATH=$path BENCH_KEYS=$KEYS BENCH_OUT="$work/q-$i.txt" timeout 120 \
      wrk -t1 -c"$c" -d"$DURATION" -s "$lua" "http://127.0.0.1:$(port_of "$i")" > "$work/wrk-spread-$i.txt" &
    pids+=($!); wrk_pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  local rps err non2xx q
  rps=$(awk '/^RESULT/ { for (i = 1; i <= NF; i++) if ($i ~ /^rps=/) { sub("rps=", "", $i); s += $i } } END { printf "%.0f", s }' "$work"/wrk-spread-*.txt)
  err=$(awk '$1 == "requests" { s += $4 } END { print s + 0 }' "$work"/q-*.txt)
  non2xx=$(awk '$1 == "requests" { s += $5 } END { print s + 0 }' "$work"/q-*.txt)
  q=$(merge "$work"/q-*.txt)
  read -r p50 p75 p90 p99 <<< "$q"
  echo "| all $NODES nodes | GET $path | $NODES x wrk -t1 -c$c -d$DURATION | $rps | $p50 | $p75 | $p90 | $p99 | $err | $non2xx |"
}

# warm-up (C1-compiled JVMs, cold caches), not reported
BENCH_PATH=/dht/ BENCH_KEYS=$KEYS timeout 120 wrk -t2 -c16 -d"$WARMUP" -s "$lua" "http://127.0.0.1:$(port_of 0)" > /dev/null
for ((i = 1; i < NODES; i++)); do
  BENCH_PATH=/lookup/ BENCH_KEYS=$KEYS timeout 60 wrk -t1 -c2 -d3s -s "$lua" "http://127.0.0.1:$(port_of "$i")" > /dev/null
done

for path in /lookup/ /dht/; do
  single "$path" 2 16
  single "$path" 2 64
  spread "$path" 2
  spread "$path" 8
done

echo
echo "# idle ring after the load: the JVM of the $NODES nodes uses $(ring_cpu 10)% of one core (10 s window)"
echo "# peer traffic over the whole run, all nodes (Prometheus counters at the end):"
for ((i = 0; i < NODES; i++)); do curl -sf "http://127.0.0.1:$(port_of "$i")/actuator/prometheus" || true; done > "$work/prom.txt"
awk -F'[{}]' '/^p2p_messages_total\{/ && /direction="out"/ { match($2, /type="[^"]*"/); t = substr($2, RSTART + 6, RLENGTH - 7); s[t] += $3 }
  END { printf "#   outbound peer messages by type:"; for (t in s) printf " %s=%d", t, s[t]; print "" }' "$work/prom.txt"
awk -F'[{}]' '/^http_client_requests_seconds_count\{/ { match($2, /exception="[^"]*"/); e = substr($2, RSTART + 11, RLENGTH - 12); s[e] += $3 }
  END { printf "#   outbound HTTP client calls by exception:"; for (e in s) printf " %s=%d", e, s[e]; print "" }' "$work/prom.txt"
echo "# the nodes' JVM at the end (ps: cumulative CPU time, RSS):"
for p in $(node_pids); do
  ps -o time=,rss= -p "$p" | awk '{ printf "#   cpu %s  rss %d MiB\n", $1, $2 / 1024 }'
done
echo "# done after ${SECONDS}s"
