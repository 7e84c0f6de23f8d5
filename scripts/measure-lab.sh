#!/usr/bin/env bash
# Start time and memory of the local lab, per layout: the default (one JVM per system, its nodes
# as Spring contexts inside it) and --jvm-per-node (one JVM per node). For each layout and run:
# seconds until lab.sh prints "p2plab is up" (every node healthy and joined, gateway healthy),
# then the RSS of every JVM it started, summed (after a 10 s settle), then ./lab.sh stop.
#
#   scripts/measure-lab.sh                 4 Chord nodes, 2 runs per layout
#   NODES=8 RUNS=3 scripts/measure-lab.sh
#
# Uses ports 8080, 8086, 8186.. (fails if a lab is running) and a scratch data directory.
set -euo pipefail
cd "$(dirname "$0")/.."
NODES=${NODES:-4}
RUNS=${RUNS:-2}
descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
echo "| layout | chord nodes | run | JVMs | seconds to up | total RSS MiB |"
echo "|---|---|---|---|---|---|"
for layout in default --jvm-per-node; do
  for ((r = 1; r <= RUNS; r++)); do
    data=$(mktemp -d /tmp/lab-measure.XXXXXX)
    opts=(--chord-nodes "$NODES" --data "$data" --no-prometheus) # JVMs only: Prometheus is the same in both layouts
    [ "$layout" = default ] || opts+=("$layout")
    timeout 300 ./lab.sh "${opts[@]}" > "$data/out.txt" 2>&1 &
    lab=$!
    for _ in $(seq 1 600); do grep -q "p2plab is up" "$data/out.txt" && break; kill -0 $lab || break; sleep 0.5; done
    up=$(sed -n 's/^p2plab is up after \([0-9]*\) s/\1/p' "$data/out.txt")
    sleep 10
    rss=0; n=0
    for p in $(descendants "$lab"); do
      [ "$(cat "/proc/$p/comm" 2> /dev/null)" = java ] || continue
      rss=$((rss + $(awk '/VmRSS/ {print $2}' "/proc/$p/status"))); n=$((n + 1))
    done
    ./lab.sh stop --data "$data" > /dev/null
    wait $lab || true
    echo "| $layout | $NODES | $r | $n | ${up:-failed} | $((rss / 1024)) |"
    rm -rf "$data"
  done
done
