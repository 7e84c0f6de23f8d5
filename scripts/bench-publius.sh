#!/usr/bin/env bash
# Publius against plain HTTP on the same servers: starts m = 10 publius servers on loopback (one
# JVM, NodeHost; each server also a client), then org.p2plab.publius.bench.PubliusHttpBenchmark
# (a plain main under publius-server/src/test) publishes and retrieves documents of each size
# with n = 10, k = 3 through server 0's client, and sends the same bytes as plain PUT/GET to the
# servers' piece store. Prints markdown rows (BENCHMARKS.md). Stops the servers by itself.
#
#   scripts/bench-publius.sh                         1 KiB, 1 MiB, 10 MiB; 20 runs each
#   BENCH_RUNS=50 BENCH_SIZES=1024,65536 scripts/bench-publius.sh
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
RUNS=${BENCH_RUNS:-20}
SIZES=${BENCH_SIZES:-1024,1048576,10485760}
BASE=${BENCH_PORT:-28083}
TIMEOUT=${BENCH_TIMEOUT:-900}
[ -x "$JAVA" ] || { echo "no JDK 25 at $JAVA (set BENCH_JAVA)" >&2; exit 1; }

echo "building..." >&2
./mvnw -B -q -pl publius-server -am package -DskipTests   # compiles the tests too
jar=$(ls publius-server/target/publius-server-*.jar | grep -v original | head -1)
data=$(mktemp -d)
ports=""
for ((i = 0; i < 10; i++)); do ports+="${ports:+,}$((BASE + i))"; done
timeout "$TIMEOUT" "$JAVA" -Xmx1g -jar "$jar" --p2plab.lab.ports="$ports" --server.address=127.0.0.1 \
  '--p2plab.publius.data-dir='"$data"'/publius-${server.port}' --logging.level.root=WARN > "$data/servers.log" 2>&1 &
pid=$!
trap 'kill $pid 2> /dev/null || true; wait $pid 2> /dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$BASE/servers" | grep -q '"reachable":10,' && break
  kill -0 $pid 2> /dev/null || { tail -30 "$data/servers.log" >&2; exit 1; }
  sleep 0.5
done
servers=()
for ((i = 0; i < 10; i++)); do servers+=("http://127.0.0.1:$((BASE + i))"); done
cp="publius-server/target/test-classes:publius-server/target/classes:$(ls ~/.m2/repository/com/codahale/shamir/0.7.0/shamir-0.7.0.jar)"
timeout "$TIMEOUT" "$JAVA" -Druns="$RUNS" -Dsizes="$SIZES" -cp "$cp" org.p2plab.publius.bench.PubliusHttpBenchmark \
  "http://127.0.0.1:$BASE" "${servers[@]}"
