#!/usr/bin/env bash
# Starts p2plab locally: today a Chord ring of several chord-node processes on loopback.
# (The one-JVM lab with the gateway and every service replaces this script; see issue 3.)
#
#   ./lab.sh                 4 Chord nodes: http://127.0.0.1:8086 (creates the ring), 18087, ...
#   CHORD_NODES=8 ./lab.sh   more nodes
# Ctrl-C stops every node. Data persists under ./data/chord-<port>; a second start reuses it.
set -euo pipefail
cd "$(dirname "$0")"
NODES=${CHORD_NODES:-4}

java_bin=""
for j in "${JAVA_HOME:-/nonexistent}/bin/java" /usr/lib/jvm/*/bin/java; do
  [ -x "$j" ] || continue
  v=$("$j" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then java_bin="$j"; break; fi
done
[ -n "$java_bin" ] || { echo "No JDK >= 21 found (JAVA_HOME or /usr/lib/jvm)" >&2; exit 1; }

jar=$(ls chord-node/target/chord-node-*.jar 2>/dev/null | grep -v original | head -1 || true)
if [ -z "$jar" ]; then
  echo "Building (first run only)..."
  ./mvnw -B -q -DskipTests package
  jar=$(ls chord-node/target/chord-node-*.jar | grep -v original | head -1)
fi

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping ${#pids[@]} nodes..."
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  echo "Stopped."
}
trap cleanup INT TERM EXIT

mkdir -p data/logs
port_of() { if [ "$1" -eq 0 ]; then echo 8086; else echo $((18086 + $1)); fi; }
for ((i = 0; i < NODES; i++)); do
  port=$(port_of "$i")
  args=(--server.port="$port" --server.address=127.0.0.1)
  [ "$i" -gt 0 ] && args+=(--p2plab.chord.bootstrap=http://127.0.0.1:8086)
  "$java_bin" -XX:TieredStopAtLevel=1 -Xss512k -Xmx256m -jar "$jar" "${args[@]}" > "data/logs/chord-$port.log" 2>&1 &
  pids+=($!)
done

deadline=$((SECONDS + 120))
for ((i = 0; i < NODES; i++)); do
  port=$(port_of "$i")
  until curl -sf "http://127.0.0.1:$port/actuator/health" > /dev/null; do
    if [ $SECONDS -gt $deadline ]; then echo "node on $port did not start: see data/logs/chord-$port.log" >&2; exit 1; fi
    sleep 0.5
  done
done

echo
echo "p2plab is up: a Chord ring of $NODES nodes"
for ((i = 0; i < NODES; i++)); do
  port=$(port_of "$i")
  echo "  chord node $i   http://127.0.0.1:$port   (OpenAPI: http://127.0.0.1:$port/v3/api-docs)"
done
echo "  logs           data/logs/"
echo
echo "Try:  curl -X PUT http://127.0.0.1:8086/dht/hello -d world"
echo "      curl -i http://127.0.0.1:$(port_of $((NODES - 1)))/dht/hello"
echo "      curl http://127.0.0.1:8086/lookup/hello"
echo "Ctrl-C stops everything."
wait
