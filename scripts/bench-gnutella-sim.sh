#!/usr/bin/env bash
# The flooding cost of Gnutella in the simulator (evidence for the seed's point: flooding costs
# O(N) messages): org.p2plab.gnutella.sim.FloodingCostTable, a plain main under
# gnutella-peer/src/test, runs one query at a time over random graphs of N peers, TTL 1..7, flat
# (mean degree 4 and 8) and with ultrapeers (a tenth of the peers, mean degree 8, each leaf on 3),
# without and with QRP-style leaf filtering; means over BENCH_QUERIES queries. Prints markdown.
#
#   scripts/bench-gnutella-sim.sh                 N = 1000 and 10000
#   scripts/bench-gnutella-sim.sh 5000            one size
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
QUERIES=${BENCH_QUERIES:-10}
TIMEOUT=${BENCH_TIMEOUT:-1800}
[ -x "$JAVA" ] || { echo "no JDK 25 at $JAVA (set BENCH_JAVA)" >&2; exit 1; }

echo "compiling..." >&2
./mvnw -B -q -pl gnutella-peer -am test-compile -DskipTests
cp="gnutella-peer/target/test-classes:gnutella-peer/target/classes:overlay-core/target/classes"
for n in ${@:-1000 10000}; do
  echo
  echo "N = $n"
  timeout "$TIMEOUT" "$JAVA" -Xmx4g -Dn="$n" -Dqueries="$QUERIES" -cp "$cp" org.p2plab.gnutella.sim.FloodingCostTable
done
