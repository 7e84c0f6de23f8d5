#!/usr/bin/env bash
# Application-layer anycast, query throughput: starts the anycast lab on loopback (one JVM,
# NodeHost: the resolver, 3 content servers at 20/150/400 ms, a local resolver), then
#   - wrk on GET /resolve at the resolver (a group it holds) and at the local resolver (answered
#     from its cache; the TTL is raised to the run's length so that every answer is a cache hit);
#   - org.p2plab.anycast.bench.DnsLoad (a plain main under anycast-resolver/src/test): SRV
#     queries over UDP at the resolver's DNS front-end.
# Prints wrk's summaries and a markdown row per DNS run (BENCHMARKS.md). Stops everything by itself.
#
#   scripts/bench-anycast.sh                 20 s per run, 32 connections / 8 DNS clients
#   BENCH_SECONDS=60 BENCH_CONNECTIONS=64 scripts/bench-anycast.sh
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
SECONDS_PER_RUN=${BENCH_SECONDS:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
DNS_CLIENTS=${BENCH_DNS_CLIENTS:-8}
BASE=${BENCH_PORT:-18184}
DNS=${BENCH_DNS_PORT:-25453}
[ -x "$JAVA" ] || { echo "no JDK 25 at $JAVA (set BENCH_JAVA)" >&2; exit 1; }
command -v wrk > /dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }

echo "building..." >&2
./mvnw -B -q -pl anycast-resolver -am package -DskipTests   # compiles the tests too
jar=$(ls anycast-resolver/target/anycast-resolver-*.jar | grep -v original | head -1)
log=$(mktemp)
ports="$BASE"
for i in 1 2 3 4; do ports+=",$((BASE + 100 * i))"; done
timeout $((SECONDS_PER_RUN * 4 + 180)) "$JAVA" -Xmx768m -jar "$jar" --p2plab.lab.ports="$ports" --server.address=127.0.0.1 \
  --p2plab.anycast.lab-dns-port="$DNS" --p2plab.anycast.cache-ttl=10m --logging.level.root=WARN > "$log" 2>&1 &
pid=$!
trap 'kill $pid 2> /dev/null || true; wait $pid 2> /dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$BASE/resolver" | grep -q '"members":3,' && curl -sf "http://127.0.0.1:$((BASE + 400))/actuator/health" > /dev/null && break
  kill -0 $pid 2> /dev/null || { tail -30 "$log" >&2; exit 1; }
  sleep 0.5
done
adn=Daily-News%25cc.gatech.edu
curl -sf "http://127.0.0.1:$((BASE + 400))/resolve/$adn" > /dev/null   # fills the local resolver's cache
echo "== warm-up (JIT): 15 s on each endpoint" >&2
wrk -t2 -c"$CONNECTIONS" -d15s "http://127.0.0.1:$BASE/resolve/$adn" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d15s "http://127.0.0.1:$((BASE + 400))/resolve/$adn" > /dev/null
echo "== GET /resolve at the authoritative resolver"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "http://127.0.0.1:$BASE/resolve/$adn"
echo "== GET /resolve at the local resolver (from its cache)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "http://127.0.0.1:$((BASE + 400))/resolve/$adn"
echo "== DNS"
deps=$(mktemp)
./mvnw -B -q -pl anycast-resolver dependency:build-classpath -Dmdep.outputFile="$deps" > /dev/null
cp="anycast-resolver/target/test-classes:anycast-resolver/target/classes:$(cat "$deps")"
"$JAVA" -cp "$cp" org.p2plab.anycast.bench.DnsLoad 127.0.0.1 "$DNS" daily-news.cc.gatech.edu.anycast. SRV 5 "$DNS_CLIENTS" > /dev/null
"$JAVA" -cp "$cp" org.p2plab.anycast.bench.DnsLoad 127.0.0.1 "$DNS" daily-news.cc.gatech.edu.anycast. SRV "$SECONDS_PER_RUN" "$DNS_CLIENTS"
