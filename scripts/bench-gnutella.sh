#!/usr/bin/env bash
# Messages routed per second by one Gnutella ultrapeer over loopback:
# org.p2plab.gnutella.bench.GnutellaRoutingBenchmark (a plain main under gnutella-peer/src/test)
# starts a real servent (TCP transport, 0.6 handshake, per-neighbour queues, routing core) and K
# neighbours on raw sockets; neighbour 0 floods queries with fresh GUIDs, the others answer each
# with a QueryHit that the ultrapeer routes back. Prints markdown rows. Stops by itself.
#
#   scripts/bench-gnutella.sh                  K = 2, 4, 8, 16 neighbours, 20 s each
#   BENCH_SECONDS=5 scripts/bench-gnutella.sh 8
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
SECONDS_EACH=${BENCH_SECONDS:-20}
TIMEOUT=${BENCH_TIMEOUT:-600}
[ -x "$JAVA" ] || { echo "no JDK 25 at $JAVA (set BENCH_JAVA)" >&2; exit 1; }

echo "compiling..." >&2
./mvnw -B -q -pl gnutella-peer -am install -DskipTests
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
./mvnw -B -q -pl gnutella-peer dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test
cp="gnutella-peer/target/test-classes:gnutella-peer/target/classes:$(cat "$cpfile")"
echo "| neighbours | queries in /s | queries forwarded /s | hits in /s | hits routed back /s | messages read /s | dropped |"
echo "|---|---|---|---|---|---|---|"
for k in ${@:-2 4 8 16}; do
  timeout "$TIMEOUT" "$JAVA" -Xmx1g -Dneighbours="$k" -Dseconds="$SECONDS_EACH" \
    -cp "$cp" org.p2plab.gnutella.bench.GnutellaRoutingBenchmark
done
