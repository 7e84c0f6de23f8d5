#!/usr/bin/env bash
# Overcast, content distribution over loopback: starts the lab's Overcast tree in one JVM
# (NodeHost: the root at 2 MB/s and 6 nodes at 4 MB, 256 KB, 4 MB, 256 KB, 1 MB, 256 KB per
# second, OvercastRootApplication.LAB_RATES), waits until the tree has settled, then for each size
# publishes random bytes at the root and times until every node holds them (checked by SHA-256),
# and counts the copies the root itself sent (its p2p_overcast_content_bytes_total{direction="out"}).
# Then every node's serving rate is cut to 1 KB/s: re-evaluation moves them all up under the root
# (a star), and the same sizes are timed again. Prints markdown rows (BENCHMARKS.md). Stops
# everything by itself.
#
#   scripts/bench-overcast.sh                    sizes 1MB and 4MB
#   BENCH_SIZES="1 4 16" scripts/bench-overcast.sh   (MB; 16 needs BENCH_MAX=32MB)
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
SIZES=${BENCH_SIZES:-"1 4"}
BASE=${BENCH_PORT:-18085}
MAX=${BENCH_MAX:-16MB}
[ -x "$JAVA" ] || { echo "no JDK 25 at $JAVA (set BENCH_JAVA)" >&2; exit 1; }
command -v jq > /dev/null || { echo "needs jq (apt-get install jq)" >&2; exit 1; }

echo "building..." >&2
./mvnw -B -q -pl overcast-root -am package -DskipTests
jar=$(ls overcast-root/target/overcast-root-*.jar | grep -v original | head -1)
work=$(mktemp -d)
ports=""
for i in 0 1 2 3 4 5 6; do ports+="${ports:+,}$((BASE + 100 * i))"; done
timeout 900 "$JAVA" -Xmx768m -jar "$jar" --p2plab.lab.ports="$ports" --server.address=127.0.0.1 \
  --p2plab.overcast.reevaluate-period=10s --p2plab.overcast.max-content-size="$MAX" \
  '--p2plab.overcast.data-dir='"$work"'/overcast-${server.port}' --logging.level.root=WARN > "$work/lab.log" 2>&1 &
pid=$!
trap 'kill $pid 2> /dev/null || true; wait $pid 2> /dev/null || true; rm -rf "$work"' EXIT
root="http://127.0.0.1:$BASE"
nodes=()
for i in 1 2 3 4 5 6; do nodes+=("http://127.0.0.1:$((BASE + 100 * i))"); done

parents() { curl -sf "$root/tree" | jq -c '[.nodes[] | select(.reachable) | [.address, .parent]] | sort'; }
# waits until the root's table holds 6 reachable nodes and has not changed for 3 polls 5 s apart
settle() {
  local last="" same=0 now
  for _ in $(seq 1 60); do
    kill -0 $pid 2> /dev/null || { tail -30 "$work/lab.log" >&2; exit 1; }
    now=$(parents 2> /dev/null || echo "")
    if [ -n "$now" ] && [ "$(jq length <<< "$now")" = 6 ] && [ "$now" = "$last" ]; then
      same=$((same + 1)); [ $same -ge 3 ] && return 0
    else
      same=0
    fi
    last=$now
    sleep 5
  done
  echo "the tree did not settle: $last" >&2; exit 1
}
root_bytes_out() {
  curl -sf "$root/actuator/prometheus" | awk '/^p2p_overcast_content_bytes_total.*direction="out"/ {print $NF}'
}
depth() { curl -sf "$root/tree" | jq '[.nodes[].depth] | max'; }
holds_all() { # sha
  for n in "${nodes[@]}"; do curl -sf "$n/groups" | grep -q "$1" || return 1; done
}
run() { # shape
  local shape=$1 mb bytes file sha before after start ms
  for mb in $SIZES; do
    bytes=$((mb * 1024 * 1024))
    file="$work/content-$shape-$mb"
    head -c "$bytes" /dev/urandom > "$file"
    sha=$(sha256sum "$file" | cut -d' ' -f1)
    before=$(root_bytes_out)
    start=$(date +%s%N)
    curl -sf -X POST "$root/groups/bench/content?name=$shape-$mb.bin" -H 'Content-Type: application/octet-stream' \
      --data-binary @"$file" > /dev/null
    until holds_all "$sha"; do sleep 0.1; done
    ms=$((($(date +%s%N) - start) / 1000000))
    after=$(root_bytes_out)
    printf '| %s (depth %s) | %s MB | %s ms | %.1f |\n' "$shape" "$(depth)" "$mb" "$ms" \
      "$(awk -v a="$after" -v b="$before" -v s="$bytes" 'BEGIN {print (a - b) / s}')"
  done
}

echo "== the tree settling (rounds every 2 s, re-evaluation every 10 s)" >&2
settle
curl -sf "$root/tree" | jq -r '.nodes[] | "\(.address) under \(.parent), depth \(.depth)"' >&2
echo "| tree | size | every node holds it after | copies the root sent |"
echo "| --- | --- | --- | --- |"
run tree

echo "== every node's serving rate cut to 1 KB/s: they move up under the root" >&2
for n in "${nodes[@]}"; do
  curl -sf -X PUT "$n/serving-rate" -H 'Content-Type: application/json' -d '{"bytesPerSecond": 1024}' > /dev/null
done
for _ in $(seq 1 60); do
  [ "$(curl -sf "$root/tree" | jq '[.nodes[] | select(.reachable and .depth == 1)] | length')" = 6 ] && break
  sleep 2
done
settle
run star
