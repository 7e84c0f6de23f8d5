#!/usr/bin/env bash
# Simulator scale benchmark for Chord: builds stable rings of N simulated nodes and times random
# lookups (org.p2plab.chord.bench.ChordSimulatorBenchmark, a plain main under chord-node/src/test).
#
#   scripts/bench-chord-sim.sh                  N = 1024 4096 16384, then 32768 under a time limit
#   scripts/bench-chord-sim.sh 1024 4096        only these sizes (no 32768 run)
#   BENCH_XMX=8g BENCH_LOOKUPS=100000 BENCH_BIG_TIMEOUT=240 scripts/bench-chord-sim.sh
#
# Prints markdown table rows (stdout) and the message mix per size (stderr). Every run is bounded:
# each JVM runs under `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
XMX=${BENCH_XMX:-8g}
LOOKUPS=${BENCH_LOOKUPS:-100000}
WARMUP=${BENCH_WARMUP:-20000}
TIMEOUT=${BENCH_TIMEOUT:-900}          # seconds, for the main sizes
BIG_TIMEOUT=${BENCH_BIG_TIMEOUT:-240}  # seconds, for N = 32768 (skipped in the table if it does not finish)
[ -x "$JAVA" ] || { echo "no JDK 25 at $JAVA (set BENCH_JAVA)" >&2; exit 1; }

echo "compiling..." >&2
./mvnw -B -q -pl chord-node -am test-compile -DskipTests
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
./mvnw -B -q -pl chord-node dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >&2
# the freshly compiled reactor modules first, then the dependencies
cp="chord-node/target/test-classes:chord-node/target/classes:overlay-core/target/classes:service-support/target/classes:$(cat "$cpfile")"

flags=(-Xms"$XMX" -Xmx"$XMX" -XX:+UseG1GC)
main=org.p2plab.chord.bench.ChordSimulatorBenchmark
run() {
  local limit=$1; shift
  timeout --signal=TERM "$limit" "$JAVA" "${flags[@]}" -cp "$cp" "$main" --lookups "$LOOKUPS" --warmup "$WARMUP" "$@"
}

if [ $# -gt 0 ]; then
  run "$TIMEOUT" "$@"
else
  run "$TIMEOUT" 1024 4096 16384
  echo >&2
  echo "N = 32768 in its own JVM, limited to ${BIG_TIMEOUT}s:" >&2
  start=$SECONDS
  if run "$BIG_TIMEOUT" 32768 | grep '^| 32768'; then
    echo "(N = 32768 done in $((SECONDS - start))s)" >&2
  else
    echo "| 32768 | did not finish within ${BIG_TIMEOUT}s | | | | | | | | | |"
  fi
fi
