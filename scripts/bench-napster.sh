#!/usr/bin/env bash
# Napster's index at Napster's scale: starts an index (one JVM, -Xmx3g), then
# org.p2plab.napster.bench.NapsterLoadBenchmark (a plain main under index-service/src/test) logs in
# BENCH_USERS users over the Napster protocol, one TCP connection each, sharing BENCH_FILES files
# each; the index's heap is measured after a full GC before and after the load (jcmd GC.run, then
# the actuator's jvm.memory.used of the heap); then BENCH_CLIENTS searchers search for
# BENCH_SECONDS over TCP and over REST. Then org.p2plab.napster.bench.NapsterIndexBenchmark builds the
# same index in its own JVM with no network, for the heap of the index alone and its search rate.
# Prints markdown rows (BENCHMARKS.md). Stops by itself.
#
#   scripts/bench-napster.sh                              10,000 users x 100 files, 8 clients, 20 s
#   BENCH_USERS=1000 BENCH_SECONDS=5 scripts/bench-napster.sh
set -euo pipefail
cd "$(dirname "$0")/.."

JDK=${BENCH_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
USERS=${BENCH_USERS:-10000}
FILES=${BENCH_FILES:-100}
CLIENTS=${BENCH_CLIENTS:-8}
SECONDS_EACH=${BENCH_SECONDS:-20}
HTTP=${BENCH_PORT:-28081}
TCP=${BENCH_TCP_PORT:-28888}
TIMEOUT=${BENCH_TIMEOUT:-1200}
[ -x "$JDK/bin/java" ] || { echo "no JDK 25 at $JDK (set BENCH_JDK)" >&2; exit 1; }
command -v jq > /dev/null || { echo "needs jq (apt-get install jq)" >&2; exit 1; }
[ "$(ulimit -n)" -gt $((USERS + 1000)) ] || ulimit -n $((USERS * 2 + 1000)) \
  || { echo "needs $((USERS + 1000)) open files (ulimit -n)" >&2; exit 1; }

echo "building..." >&2
./mvnw -B -q -pl index-service -am package -DskipTests   # compiles the tests too
jar=$(ls index-service/target/index-service-*.jar | grep -v original | head -1)
work=$(mktemp -d)
timeout "$TIMEOUT" "$JDK/bin/java" -Xmx3g -jar "$jar" --server.port="$HTTP" --server.address=127.0.0.1 \
  --p2plab.napster.port="$TCP" --p2plab.napster.password-cost=4 --p2plab.napster.max-shares-per-user=1000 \
  --spring.datasource.url=jdbc:h2:mem:bench --logging.level.root=WARN > "$work/index.log" 2>&1 &
pid=$!
bench=""
trap 'kill $pid $bench 2> /dev/null || true; wait $pid 2> /dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$HTTP"
for _ in $(seq 1 120); do
  curl -sf "$base/actuator/health" > /dev/null && break
  kill -0 $pid 2> /dev/null || { tail -30 "$work/index.log" >&2; exit 1; }
  sleep 0.5
done
jvm=$(pgrep -P $pid java || echo $pid) # the JVM under timeout
heap() { # bytes of heap in use after a full GC
  "$JDK/bin/jcmd" "$jvm" GC.run > /dev/null
  curl -sf "$base/actuator/metrics/jvm.memory.used?tag=area:heap" | jq '.measurements[0].value | floor'
}
before=$(heap)

mkfifo "$work/go"
cp="index-service/target/test-classes:index-service/target/classes"
timeout "$TIMEOUT" "$JDK/bin/java" -Xmx1g -Dusers="$USERS" -Dfiles="$FILES" -Dclients="$CLIENTS" -Dseconds="$SECONDS_EACH" \
  -cp "$cp" org.p2plab.napster.bench.NapsterLoadBenchmark 127.0.0.1 "$TCP" "$base" < "$work/go" > "$work/bench.out" &
bench=$!
exec 3> "$work/go"
until grep -q LOADED "$work/bench.out"; do
  kill -0 $bench 2> /dev/null || { echo "the benchmark ended early" >&2; exit 1; }
  sleep 1
done
stats=$(curl -sf "$base/stats")
words=$(curl -sf "$base/actuator/prometheus" | awk '/^p2p_napster_words/ {printf "%d", $NF}')
after=$(heap)
echo >&3
exec 3>&-
wait $bench
echo
echo "index: $(jq -r '"\(.users) users, \(.files) files, \(.gigabytes) GB shared"' <<< "$stats"), $words distinct words"
echo "heap after a full GC: $((before / 1048576)) MB before the load, $((after / 1048576)) MB after: $(((after - before) / 1048576)) MB for the users, sessions and index ($(((after - before) / (USERS * FILES))) bytes per shared file)"
echo
grep -v LOADED "$work/bench.out"
kill $pid 2> /dev/null || true
wait $pid 2> /dev/null || true
echo
timeout "$TIMEOUT" "$JDK/bin/java" -Xmx3g -Dusers="$USERS" -Dfiles="$FILES" -cp "$cp:overlay-core/target/classes:$(ls ~/.m2/repository/org/roaringbitmap/RoaringBitmap/1.3.0/RoaringBitmap-1.3.0.jar)" \
  org.p2plab.napster.bench.NapsterIndexBenchmark
