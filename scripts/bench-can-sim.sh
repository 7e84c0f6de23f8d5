#!/usr/bin/env bash
# Simulator scale benchmark for CAN: grows spaces of N simulated nodes, times random lookups,
# then crashes 20% of the nodes and times the takeovers (org.p2plab.can.bench.CanSimulatorBenchmark,
# a plain main under can-node/src/test).
#
#   scripts/bench-can-sim.sh                  d = 2 and 3, N = 1024 4096 16384
#   scripts/bench-can-sim.sh 2 16384 65536    one d, these sizes
#   BENCH_XMX=8g BENCH_LOOKUPS=100000 scripts/bench-can-sim.sh
#
# Prints markdown table rows (stdout) and the message mix per size (stderr); each JVM runs under
# `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
XMX=${BENCH_XMX:-8g}
LOOKUPS=${BENCH_LOOKUPS:-50000}
TIMEOUT=${BENCH_TIMEOUT:-900}
[ -x "$JAVA" ] || { echo "no JDK 25 at $JAVA (set BENCH_JAVA)" >&2; exit 1; }

echo "compiling..." >&2
./mvnw -B -q -pl can-node -am test-compile -DskipTests
cp="can-node/target/test-classes:can-node/target/classes:overlay-core/target/classes"
run() {
  timeout "$TIMEOUT" "$JAVA" -Xms"$XMX" -Xmx"$XMX" -XX:+UseG1GC -Dlookups="$LOOKUPS" -cp "$cp" \
    org.p2plab.can.bench.CanSimulatorBenchmark "$@"
}
if [ $# -gt 0 ]; then
  run "$@"
else
  run 2 1024 4096 16384
  run 3 1024 4096 16384 | tail -n +3
fi
