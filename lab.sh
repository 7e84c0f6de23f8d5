#!/usr/bin/env bash
# The p2plab local lab: the gateway and every system, on loopback, with one command.
#
#   ./lab.sh                      gateway on :8080 + a Chord ring of 4 nodes (:8086, :8186, ...)
#                                 + a CAN space of 4 nodes (:8087, :8187, ...)
#                                 + 5 Publius servers (:8083, :8183, ...), each also a client
#                                 + anycast: a resolver (:8084, DNS :5353), 3 content servers
#                                 (:8184, :8284, :8384) and a local resolver (:8484, DNS :5354)
#                                 + Overcast: a root (:8085) and 6 nodes (:8185, ...) with different serving rates
#                                 + Napster: the index (:8081, Napster protocol on TCP :8888) and 3 sharing
#                                 peers (:8181, :8281, :8381; the third firewalled), each sharing sample files
#                                 + Gnutella: 6 servents (:8082, :8182, ...; the Gnutella protocol on TCP :6346,
#                                 :6446, ...): 4 ultrapeers in a mesh and 2 leaves, sharing sample files
#   ./lab.sh --chord-nodes 8      a bigger ring (--can-nodes 8: a bigger space)
#   ./lab.sh --only chord         only these systems (comma-separated; the gateway always runs)
#   ./lab.sh stop                 stops a lab started elsewhere (Ctrl-C in its terminal does too)
#
# Options: --chord-nodes N, --can-nodes N, --publius-servers N, --only LIST, --gateway-port P (8080),
# --overcast-nodes N (6, below the root), --napster-peers N (3), --gnutella-peers N (6; of four or more, the
# last two are leaves), --chord-port P (8086), --can-port P (8087), --publius-port P (8083), --anycast-port P
# (8084), --overcast-port P (8085), --napster-port P (8081), --gnutella-port P (8082): node 0
# of a system listens on P, node i on P+100*i (every port stays below the kernel's ephemeral range,
# 32768-60999, where an outgoing connection could hold it just before a node binds it),
# --anycast-dns-port P (5353: the resolver's DNS on UDP and TCP; the local resolver's is P+1),
# --napster-tcp-port P (8888: the index's Napster protocol), --gnutella-wire-port P (6346: servent 0's
# Gnutella port; servent i's is P+100*i), --data DIR (./data:
# H2 files per node, logs, pid file), --build (rebuild the jars first; they are built
# automatically when missing), --jvm-per-node (each node its own process, e.g. to kill -9 one;
# heavier), --one-jvm LIST (with --jvm-per-node: these systems keep one JVM for all their nodes),
# LAB_JAVA_OPTS="..." (extra JVM flags),
# --prometheus-port P (9090), --scrape-interval D (5s), --no-prometheus, --artificial-latency D
# (0ms: added before every peer call, so each overlay hop costs like a wide-area link). A local
# Prometheus scraping every process starts when the prometheus binary is installed (apt-get install prometheus).
#
# Each system runs as ONE JVM hosting all of its nodes, each node its own Spring application
# context on its own port (see docs/lab.md for why and the measurements). A second start reuses
# the data under --data. Every process started here is stopped on Ctrl-C, TERM or any exit.
set -euo pipefail
cd "$(dirname "$0")"
repo=$(pwd)

SYSTEMS_KNOWN="chord can publius anycast overcast napster gnutella"
chord_nodes=4
can_nodes=4
publius_servers=5
overcast_nodes=6
napster_peers=3
gnutella_peers=6
only=""
gateway_port=8080
chord_port=8086
can_port=8087
publius_port=8083
anycast_port=8084
overcast_port=8085
napster_port=8081
napster_tcp_port=8888
gnutella_port=8082
gnutella_wire_port=6346
anycast_dns_port=5353
# the anycast lab: node 0 the authoritative resolver, 1-3 content servers, 4 a local resolver (AnycastResolverApplication)
anycast_nodes=5
data="$repo/data"
build=0
jvm_per_node=0
one_jvm=""
prometheus=auto
prometheus_port=9090
scrape_interval=5s
artificial_latency=0ms
command="start"

usage() { sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    start | stop) command=$1 ;;
    --chord-nodes) chord_nodes=${2:?--chord-nodes needs a number}; shift ;;
    --can-nodes) can_nodes=${2:?--can-nodes needs a number}; shift ;;
    --publius-servers) publius_servers=${2:?--publius-servers needs a number}; shift ;;
    --overcast-nodes) overcast_nodes=${2:?--overcast-nodes needs a number}; shift ;;
    --overcast-port) overcast_port=${2:?}; shift ;;
    --napster-peers) napster_peers=${2:?--napster-peers needs a number}; shift ;;
    --napster-port) napster_port=${2:?}; shift ;;
    --napster-tcp-port) napster_tcp_port=${2:?}; shift ;;
    --gnutella-peers) gnutella_peers=${2:?--gnutella-peers needs a number}; shift ;;
    --gnutella-port) gnutella_port=${2:?}; shift ;;
    --gnutella-wire-port) gnutella_wire_port=${2:?}; shift ;;
    --only) only=${2:?--only needs a list, e.g. chord}; shift ;;
    --gateway-port) gateway_port=${2:?}; shift ;;
    --chord-port) chord_port=${2:?}; shift ;;
    --can-port) can_port=${2:?}; shift ;;
    --publius-port) publius_port=${2:?}; shift ;;
    --anycast-port) anycast_port=${2:?}; shift ;;
    --anycast-dns-port) anycast_dns_port=${2:?}; shift ;;
    --data) data=${2:?}; shift ;;
    --build) build=1 ;;
    --jvm-per-node) jvm_per_node=1 ;;
    --one-jvm) one_jvm=${2:?--one-jvm needs a list, e.g. gnutella}; shift ;;
    --no-prometheus) prometheus=no ;;
    --prometheus-port) prometheus_port=${2:?}; shift ;;
    --scrape-interval) scrape_interval=${2:?}; shift ;;
    --artificial-latency) artificial_latency=${2:?--artificial-latency needs a duration, e.g. 20ms}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$data"
data=$(cd "$data" && pwd)
pidfile="$data/lab.pid"

if [ "$command" = stop ]; then
  if [ ! -f "$pidfile" ] || ! kill -0 "$(cat "$pidfile")" 2> /dev/null; then
    echo "no lab running for $data"; rm -f "$pidfile"; exit 0
  fi
  pid=$(cat "$pidfile")
  echo "stopping the lab (pid $pid)..."
  kill -TERM "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2> /dev/null || { echo "stopped."; exit 0; }; sleep 0.5; done
  echo "the lab (pid $pid) did not stop within 60 s" >&2; exit 1
fi

[[ "$chord_nodes" =~ ^[1-9][0-9]?$ ]] || { echo "--chord-nodes must be 1..99, got $chord_nodes" >&2; exit 2; }
[[ "$can_nodes" =~ ^[1-9][0-9]?$ ]] || { echo "--can-nodes must be 1..99, got $can_nodes" >&2; exit 2; }
[[ "$publius_servers" =~ ^[1-9][0-9]?$ ]] || { echo "--publius-servers must be 1..99, got $publius_servers" >&2; exit 2; }
[[ "$overcast_nodes" =~ ^[0-9][0-9]?$ ]] || { echo "--overcast-nodes must be 0..99, got $overcast_nodes" >&2; exit 2; }
[[ "$napster_peers" =~ ^[0-9][0-9]?$ ]] || { echo "--napster-peers must be 0..99, got $napster_peers" >&2; exit 2; }
[[ "$gnutella_peers" =~ ^[1-9][0-9]?$ ]] || { echo "--gnutella-peers must be 1..99, got $gnutella_peers" >&2; exit 2; }
wanted() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
for s in ${only//,/ }; do
  [[ " $SYSTEMS_KNOWN " == *" $s "* ]] || { echo "unknown system '$s' (known: $SYSTEMS_KNOWN)" >&2; exit 2; }
done
command -v curl > /dev/null || { echo "the lab needs curl" >&2; exit 1; }
[[ "$scrape_interval" =~ ^[1-9][0-9]*(ms|s|m)$ ]] || { echo "--scrape-interval must look like 5s, got $scrape_interval" >&2; exit 2; }
prometheus_bin=""
if [ "$prometheus" = auto ]; then prometheus_bin=$(command -v prometheus || true); fi

java_bin=""
for j in "${JAVA_HOME:-/nonexistent}/bin/java" /usr/lib/jvm/*/bin/java; do
  [ -x "$j" ] || continue
  v=$("$j" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2> /dev/null; then java_bin="$j"; break; fi
done
[ -n "$java_bin" ] || { echo "No JDK >= 21 found (JAVA_HOME or /usr/lib/jvm)" >&2; exit 1; }

jar_of() { ls "$1"/target/"$1"-*.jar 2> /dev/null | grep -v -e original -e sources | head -1 || true; }
if [ "$build" = 1 ] || [ -z "$(jar_of gateway)" ] || [ -z "$(jar_of chord-node)" ] || [ -z "$(jar_of can-node)" ] \
  || [ -z "$(jar_of publius-server)" ] || [ -z "$(jar_of anycast-resolver)" ] || [ -z "$(jar_of overcast-root)" ] \
  || [ -z "$(jar_of index-service)" ] || [ -z "$(jar_of gnutella-peer)" ]; then
  echo "building the jars (./mvnw -B -q -DskipTests package)..."
  ./mvnw -B -q -DskipTests package
fi

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2> /dev/null; then
  echo "a lab is already running for $data (pid $(cat "$pidfile")): ./lab.sh stop" >&2; exit 1
fi
port_in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
# node i of a system whose node 0 is on P: P+100*i
chord_port_of() { echo $((chord_port + 100 * $1)); }
can_port_of() { echo $((can_port + 100 * $1)); }
publius_port_of() { echo $((publius_port + 100 * $1)); }
anycast_port_of() { echo $((anycast_port + 100 * $1)); }
overcast_port_of() { echo $((overcast_port + 100 * $1)); }
napster_port_of() { echo $((napster_port + 100 * $1)); }
gnutella_port_of() { echo $((gnutella_port + 100 * $1)); }
# servent i's Gnutella port (GnutellaProperties.effectivePort: lab-wire-port + 100 * lab-index)
gnutella_wire_port_of() { echo $((gnutella_wire_port + 100 * $1)); }
ports_needed=("$gateway_port")
if wanted chord; then for ((i = 0; i < chord_nodes; i++)); do ports_needed+=("$(chord_port_of "$i")"); done; fi
if wanted can; then for ((i = 0; i < can_nodes; i++)); do ports_needed+=("$(can_port_of "$i")"); done; fi
if wanted publius; then for ((i = 0; i < publius_servers; i++)); do ports_needed+=("$(publius_port_of "$i")"); done; fi
if wanted anycast; then
  for ((i = 0; i < anycast_nodes; i++)); do ports_needed+=("$(anycast_port_of "$i")"); done
  ports_needed+=("$anycast_dns_port" $((anycast_dns_port + 1))) # the resolvers' DNS front-ends (TCP checked here)
fi
if wanted overcast; then for ((i = 0; i <= overcast_nodes; i++)); do ports_needed+=("$(overcast_port_of "$i")"); done; fi
if wanted napster; then
  for ((i = 0; i <= napster_peers; i++)); do ports_needed+=("$(napster_port_of "$i")"); done
  ports_needed+=("$napster_tcp_port") # the index's Napster protocol (the peers' data ports are free ones)
fi
if wanted gnutella; then
  # each servent's HTTP port and its Gnutella port (handshakes, messages and file transfers)
  for ((i = 0; i < gnutella_peers; i++)); do ports_needed+=("$(gnutella_port_of "$i")" "$(gnutella_wire_port_of "$i")"); done
fi
prometheus_note=""
if [ -n "$prometheus_bin" ] && port_in_use "$prometheus_port"; then
  # e.g. the Debian package's own service: leave it alone, the lab just has none of its own
  prometheus_bin=""
  prometheus_note="port $prometheus_port is in use (a system Prometheus?); --prometheus-port P starts the lab's own"
fi
dup=$(printf '%s\n' "${ports_needed[@]}" | sort | uniq -d | head -1)
if [ -n "$dup" ]; then echo "two of the lab's processes would listen on port $dup: choose other --*-port values" >&2; exit 2; fi
for p in "${ports_needed[@]}"; do
  if port_in_use "$p"; then echo "port $p is in use (another lab? ./lab.sh stop)" >&2; exit 1; fi
done

pids=()
names=()
cleanup() {
  local rc=$?
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo; echo "stopping ${names[*]}..."
    for p in "${pids[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
    for _ in $(seq 1 60); do
      alive=0
      for p in "${pids[@]}"; do kill -0 "$p" 2> /dev/null && alive=1; done
      [ $alive = 0 ] && break
      sleep 0.5
    done
    for p in "${pids[@]}"; do kill -KILL "$p" 2> /dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2> /dev/null || true; done
    echo "stopped."
  fi
  rm -f "$pidfile"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo $$ > "$pidfile"

mkdir -p "$data/logs"
# light JVMs for a laptop: C1 only (fast start), serial GC; LAB_JAVA_OPTS comes last and wins
jvm() { # name heap jar args...
  local name=$1 heap=$2 jar=$3; shift 3
  # shellcheck disable=SC2086
  "$java_bin" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xmx"$heap" ${LAB_JAVA_OPTS:-} \
    -jar "$jar" "$@" > "$data/logs/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}
started=$SECONDS

gateway_args=(--server.port="$gateway_port" --server.address=127.0.0.1)
# What node i of a system gets with --jvm-per-node (NodeHost gives the same in one JVM): overlays
# join through node 0; every Publius server lists all servers (the static list); anycast node i
# takes its lab role (AnycastResolverApplication.labNode), and so do Overcast node i (the root, or a node
# with its serving rate: OvercastRootApplication.labNode), Napster node i (the index, or peer<i>:
# IndexServiceApplication.labNode) and Gnutella servent i (ultrapeer or leaf, its neighbours and its
# Gnutella port: GnutellaPeerApplication.labNode).
node_args() { # system i ports
  case "$1" in
    publius) echo "--p2plab.publius.servers=$(sed 's#\([0-9][0-9]*\)#http://127.0.0.1:\1#g' <<< "$3")" ;;
    anycast) echo "--p2plab.anycast.lab-node=$2 --p2plab.anycast.lab-ports=$3" ;;
    overcast) echo "--p2plab.overcast.lab-node=$2 --p2plab.overcast.lab-ports=$3" ;;
    napster) echo "--p2plab.napster.lab-node=$2 --p2plab.napster.lab-ports=$3" ;;
    gnutella) echo "--p2plab.gnutella.lab-node=$2 --p2plab.gnutella.lab-ports=$3" ;;
    *) [ "$2" -gt 0 ] && echo "--p2plab.$1.bootstrap=http://127.0.0.1:${3%%,*}" || true ;;
  esac
}
# One system behind the gateway: a JVM hosting all of its nodes (NodeHost), or with --jvm-per-node
# one JVM per node. Sets <system>_ports for the Prometheus targets.
start_overlay() { # system module nodes port_fn heap_mb heap_mb_per_node [args for every node...]
  local system=$1 module=$2 n=$3 port_fn=$4 heap=$5 per=$6 ports="" i p
  shift 6
  for ((i = 0; i < n; i++)); do
    p=$("$port_fn" "$i")
    ports+="${ports:+,}$p"
    gateway_args+=(--p2plab.gateway.systems."$system".nodes["$i"]="http://127.0.0.1:$p")
  done
  local common=(--server.address=127.0.0.1 --p2plab.http.artificial-latency="$artificial_latency" "$@")
  if [ "$jvm_per_node" = 1 ] && [[ ",$one_jvm," != *",$system,"* ]]; then
    for ((i = 0; i < n; i++)); do
      # shellcheck disable=SC2046
      jvm "$module-$i" "${heap}m" "$(jar_of "$module")" --server.port="$("$port_fn" "$i")" "${common[@]}" \
        $(node_args "$system" "$i" "$ports")
    done
  else
    jvm "$module" "$((heap + per * n))m" "$(jar_of "$module")" --p2plab.lab.ports="$ports" "${common[@]}"
  fi
  gateway_args+=(--p2plab.gateway.systems."$system".enabled=true
    --p2plab.gateway.systems."$system".url="http://127.0.0.1:$("$port_fn" 0)")
  printf -v "${system}_ports" '%s' "$ports"
}
if wanted chord; then
  # ${server.port} is resolved by each node: one H2 directory per node
  start_overlay chord chord-node "$chord_nodes" chord_port_of 192 64 '--p2plab.chord.data-dir='"$data"'/chord-${server.port}'
else
  gateway_args+=(--p2plab.gateway.systems.chord.enabled=false)
fi
if wanted can; then
  start_overlay can can-node "$can_nodes" can_port_of 160 48
else
  gateway_args+=(--p2plab.gateway.systems.can.enabled=false)
fi
if wanted publius; then
  # each server keeps its name directories under $data/publius-<port>; each is also a client
  start_overlay publius publius-server "$publius_servers" publius_port_of 160 48 \
    '--p2plab.publius.data-dir='"$data"'/publius-${server.port}'
else
  gateway_args+=(--p2plab.gateway.systems.publius.enabled=false)
fi
if wanted anycast; then
  start_overlay anycast anycast-resolver "$anycast_nodes" anycast_port_of 160 40 --p2plab.anycast.lab-dns-port="$anycast_dns_port"
else
  gateway_args+=(--p2plab.gateway.systems.anycast.enabled=false)
fi
if wanted overcast; then
  # node 0 the root, then the nodes; each keeps its content under $data/overcast-<port>
  start_overlay overcast overcast-root $((overcast_nodes + 1)) overcast_port_of 160 40 \
    '--p2plab.overcast.data-dir='"$data"'/overcast-${server.port}'
else
  gateway_args+=(--p2plab.gateway.systems.overcast.enabled=false)
fi
if wanted napster; then
  # node 0 the index (users in H2 under $data/napster-<port>); node i the peer peer<i>, sharing
  # $data/napster-<port>/mp3, seeded here with sample files the first time (MP3 frame headers, so
  # the peers announce a bitrate and a frequency; peer1 and peer2 both have Help, to rank hosts)
  napster_sample() { # file kbps-header-byte size
    { printf '\xff\xfb%b\x64' "$2"; head -c "$3" /dev/urandom; } > "$1"
  }
  for ((i = 1; i <= napster_peers; i++)); do
    dir="$data/napster-$(napster_port_of "$i")/mp3"
    if [ ! -d "$dir" ]; then
      mkdir -p "$dir"
      case $((i % 3)) in
        1) napster_sample "$dir/Beatles - Help.mp3" '\x90' 180000
           napster_sample "$dir/Beatles - Yesterday.mp3" '\xb0' 240000
           echo "shared by peer$i" > "$dir/readme peer$i.txt" ;;
        2) napster_sample "$dir/Beatles - Help.mp3" '\x90' 180000
           napster_sample "$dir/Rolling Stones - Angie.mp3" '\x90' 260000 ;;
        0) napster_sample "$dir/Beatles - Let It Be.mp3" '\xa0' 220000
           napster_sample "$dir/Pink Floyd - Time.mp3" '\xb0' 300000 ;;
      esac
    fi
  done
  start_overlay napster index-service $((napster_peers + 1)) napster_port_of 160 40 \
    --p2plab.napster.port="$napster_tcp_port" --p2plab.napster.server="127.0.0.1:$napster_tcp_port" \
    '--p2plab.napster.data-dir='"$data"'/napster-${server.port}' \
    '--p2plab.napster.peer.shared-dir='"$data"'/napster-${server.port}/mp3' \
    '--p2plab.napster.peer.download-dir='"$data"'/napster-${server.port}/downloads'
else
  gateway_args+=(--p2plab.gateway.systems.napster.enabled=false)
fi
# of four or more servents the last two are leaves (GnutellaPeerApplication.ultrapeers)
gnutella_ultrapeers=$((gnutella_peers >= 4 ? gnutella_peers - 2 : gnutella_peers))
if wanted gnutella; then
  # servent i (GnutellaPeerApplication.labNode): an ultrapeer connected to ultrapeers i-1 and i-2, or a
  # leaf under two ultrapeers; its Gnutella port is --gnutella-wire-port + 100*i. Each shares
  # $data/gnutella-<port>/shared, seeded here the first time with sample files spread over the
  # network, so that a search from the last leaf finds files at other ultrapeers and at the other
  # leaf, two hops away; the last leaf itself shares nothing, like most of Gnutella's users in 2000
  # (Adar and Huberman, "Free Riding on Gnutella")
  gnutella_mp3() { # file size (an MP3 frame header, then noise)
    { printf '\xff\xfb\x90\x64'; head -c "$2" /dev/urandom; } > "$1"
  }
  for ((i = 0; i < gnutella_peers; i++)); do
    dir="$data/gnutella-$(gnutella_port_of "$i")/shared"
    if [ ! -d "$dir" ]; then
      mkdir -p "$dir"
      if [ "$i" -eq 0 ]; then gnutella_mp3 "$dir/Beatles - Yesterday.mp3" 240000; fi
      if [ "$i" -eq 2 ]; then gnutella_mp3 "$dir/Rolling Stones - Angie.mp3" 260000; fi
      if [ $((i % 2)) -eq 1 ] && { [ "$i" -lt "$gnutella_ultrapeers" ] || [ "$i" -lt $((gnutella_peers - 1)) ]; }; then
        gnutella_mp3 "$dir/Beatles - Help.mp3" 180000
      fi
      if [ "$i" -eq $((gnutella_ultrapeers - 1)) ]; then
        printf '%s\n' "Gnutella 0.6: a servent connects with GNUTELLA CONNECT/0.6 and floods Queries to its" \
          "neighbours within their TTL; QueryHits come back along the reverse path; files move over HTTP." \
          > "$dir/Gnutella Protocol 0.6.txt"
      fi
      if [ "$i" -eq "$gnutella_ultrapeers" ] && [ "$i" -lt "$gnutella_peers" ]; then
        printf '%s\n' "Gnutella 0.4: Ping, Pong, Query, QueryHit and Push, flooded to every neighbour." \
          > "$dir/Gnutella Protocol 0.4.txt"
      fi
    fi
  done
  start_overlay gnutella gnutella-peer "$gnutella_peers" gnutella_port_of 160 40 \
    --p2plab.gnutella.lab-wire-port="$gnutella_wire_port" \
    '--p2plab.gnutella.shared-dir='"$data"'/gnutella-${server.port}/shared' \
    '--p2plab.gnutella.download-dir='"$data"'/gnutella-${server.port}/downloads'
else
  gateway_args+=(--p2plab.gateway.systems.gnutella.enabled=false)
fi
jvm gateway 256m "$(jar_of gateway)" "${gateway_args[@]}"

if [ -n "$prometheus_bin" ]; then
  # scrape targets: the gateway and every node, labelled with their application
  mkdir -p "$data/prometheus/targets"
  sed "s/^\(  *\)\(scrape_interval\|evaluation_interval\): .*/\1\2: $scrape_interval/" lab/prometheus.yml \
    > "$data/prometheus/prometheus.yml"
  {
    printf '[\n  {"targets": ["127.0.0.1:%s"], "labels": {"application": "gateway"}}' "$gateway_port"
    if wanted chord; then
      printf ',\n  {"targets": [%s], "labels": {"application": "chord-node", "system": "chord"}}' \
        "$(sed 's/\([0-9]*\)/"127.0.0.1:\1"/g; s/,/, /g' <<< "$chord_ports")"
    fi
    if wanted can; then
      printf ',\n  {"targets": [%s], "labels": {"application": "can-node", "system": "can"}}' \
        "$(sed 's/\([0-9]*\)/"127.0.0.1:\1"/g; s/,/, /g' <<< "$can_ports")"
    fi
    if wanted publius; then
      printf ',\n  {"targets": [%s], "labels": {"application": "publius-server", "system": "publius"}}' \
        "$(sed 's/\([0-9]*\)/"127.0.0.1:\1"/g; s/,/, /g' <<< "$publius_ports")"
    fi
    if wanted anycast; then
      printf ',\n  {"targets": [%s], "labels": {"application": "anycast-resolver", "system": "anycast"}}' \
        "$(sed 's/\([0-9]*\)/"127.0.0.1:\1"/g; s/,/, /g' <<< "$anycast_ports")"
    fi
    if wanted overcast; then
      printf ',\n  {"targets": [%s], "labels": {"application": "overcast-root", "system": "overcast"}}' \
        "$(sed 's/\([0-9]*\)/"127.0.0.1:\1"/g; s/,/, /g' <<< "$overcast_ports")"
    fi
    if wanted napster; then
      printf ',\n  {"targets": [%s], "labels": {"application": "index-service", "system": "napster"}}' \
        "$(sed 's/\([0-9]*\)/"127.0.0.1:\1"/g; s/,/, /g' <<< "$napster_ports")"
    fi
    if wanted gnutella; then
      printf ',\n  {"targets": [%s], "labels": {"application": "gnutella-peer", "system": "gnutella"}}' \
        "$(sed 's/\([0-9]*\)/"127.0.0.1:\1"/g; s/,/, /g' <<< "$gnutella_ports")"
    fi
    printf '\n]\n'
  } > "$data/prometheus/targets/p2plab.json"
  "$prometheus_bin" --config.file="$data/prometheus/prometheus.yml" --storage.tsdb.path="$data/prometheus/tsdb" \
    --storage.tsdb.retention.time=2d --web.listen-address="127.0.0.1:$prometheus_port" --log.level=warn \
    > "$data/logs/prometheus.log" 2>&1 &
  pids+=($!)
  names+=(prometheus)
fi

# wait for every node and the gateway, and for a multi-node ring to have formed
deadline=$((SECONDS + ${LAB_START_TIMEOUT:-180}))
wait_for() { # url what log [grep pattern]
  until body=$(curl -sf --max-time 2 "$1") && { [ -z "${4:-}" ] || grep -q "$4" <<< "$body"; }; do
    for k in "${!pids[@]}"; do
      if ! kill -0 "${pids[$k]}" 2> /dev/null; then
        echo "${names[$k]} exited while starting; the end of $data/logs/${names[$k]}.log:" >&2
        tail -n 30 "$data/logs/${names[$k]}.log" >&2; exit 1
      fi
    done
    if [ $SECONDS -gt $deadline ]; then echo "$2 did not come up: see $3" >&2; exit 1; fi
    sleep 0.3
  done
}
if wanted chord; then
  for ((i = 0; i < chord_nodes; i++)); do
    wait_for "http://127.0.0.1:$(chord_port_of "$i")/actuator/health" "chord node $i" "$data/logs/"
  done
  if [ "$chord_nodes" -gt 1 ]; then
    for ((i = 0; i < chord_nodes; i++)); do
      wait_for "http://127.0.0.1:$(chord_port_of "$i")/ring" "chord node $i joining the ring" \
        "$data/logs/" '"state":"member"'
    done
  fi
fi
if wanted can; then
  for ((i = 0; i < can_nodes; i++)); do
    wait_for "http://127.0.0.1:$(can_port_of "$i")/zone" "can node $i joining the space" "$data/logs/" '"state":"member"'
  done
fi
if wanted publius; then
  for ((i = 0; i < publius_servers; i++)); do
    wait_for "http://127.0.0.1:$(publius_port_of "$i")/actuator/health" "publius server $i" "$data/logs/"
  done
  wait_for "http://127.0.0.1:$publius_port/servers" "the publius servers answering each other" "$data/logs/" \
    "\"reachable\":$publius_servers,"
fi
if wanted anycast; then
  for ((i = 0; i < anycast_nodes; i++)); do
    wait_for "http://127.0.0.1:$(anycast_port_of "$i")/actuator/health" "anycast node $i" "$data/logs/"
  done
  wait_for "http://127.0.0.1:$anycast_port/resolver" "the content servers registering with the resolver" "$data/logs/" \
    '"members":3,'
fi
if wanted overcast; then
  for ((i = 0; i <= overcast_nodes; i++)); do
    wait_for "http://127.0.0.1:$(overcast_port_of "$i")/actuator/health" "overcast node $i" "$data/logs/"
  done
  wait_for "http://127.0.0.1:$overcast_port/tree" "the overcast nodes checking in with the tree" "$data/logs/" \
    "\"alive\":$overcast_nodes,"
fi
if wanted napster; then
  for ((i = 0; i <= napster_peers; i++)); do
    wait_for "http://127.0.0.1:$(napster_port_of "$i")/actuator/health" "napster node $i" "$data/logs/"
  done
  wait_for "http://127.0.0.1:$napster_port/stats" "the napster peers logging in to the index" "$data/logs/" \
    "\"users\":$napster_peers,"
fi
if wanted gnutella; then
  for ((i = 0; i < gnutella_peers; i++)); do
    wait_for "http://127.0.0.1:$(gnutella_port_of "$i")/actuator/health" "gnutella servent $i" "$data/logs/"
  done
  if [ "$gnutella_peers" -gt 1 ]; then
    # every servent has an ultrapeer for a neighbour, and the last one both of its own (GET /stats)
    for ((i = 0; i < gnutella_peers; i++)); do
      wait_for "http://127.0.0.1:$(gnutella_port_of "$i")/stats" "gnutella servent $i connecting to its neighbours" \
        "$data/logs/" '"ultrapeers":[1-9]'
    done
    wait_for "http://127.0.0.1:$(gnutella_port_of $((gnutella_peers - 1)))/stats" "the last gnutella servent's neighbours" \
      "$data/logs/" "\"ultrapeers\":$((gnutella_peers > 2 ? 2 : 1)),"
  fi
fi
wait_for "http://127.0.0.1:$gateway_port/actuator/health" "the gateway" "$data/logs/gateway.log"
if [ -n "$prometheus_bin" ]; then
  wait_for "http://127.0.0.1:$prometheus_port/-/ready" "Prometheus" "$data/logs/prometheus.log"
fi

g="http://127.0.0.1:$gateway_port"
echo
echo "p2plab is up after $((SECONDS - started)) s"
echo "  gateway        $g        (index of systems: $g/)"
echo "  Swagger UI     $g/swagger-ui.html"
# node i of a system: its own port and its route through the gateway (and its role, if given)
list_nodes() { # system label count port_fn [role of node 0] [role of node 1] ...
  local system=$1 label=$2 n=$3 port_fn=$4 i line
  shift 4
  local roles=("$@")
  for ((i = 0; i < n; i++)); do
    printf -v line '    %-12s http://127.0.0.1:%s   = %s/%s/nodes/%s' "$label $i" "$("$port_fn" "$i")" "$g" "$system" "$i"
    echo "$line${roles[$i]:+   (${roles[$i]})}"
  done
}
if wanted chord; then
  echo "  chord          $g/chord   (any node), $g/chord/nodes/{i} (node i)"
  list_nodes chord node "$chord_nodes" chord_port_of
fi
if wanted can; then
  echo "  can            $g/can     (any node), $g/can/nodes/{i} (node i)"
  list_nodes can node "$can_nodes" can_port_of
fi
if wanted publius; then
  echo "  publius        $g/publius (any server's client), $g/publius/nodes/{i} (server i)"
  list_nodes publius server "$publius_servers" publius_port_of
fi
if wanted anycast; then
  echo "  anycast        $g/anycast (the resolver), $g/anycast/nodes/{i}; DNS: dig @127.0.0.1 -p $anycast_dns_port ($((anycast_dns_port + 1)): local resolver)"
  list_nodes anycast node "$anycast_nodes" anycast_port_of "resolver for cc.gatech.edu" "content server, 20 ms" \
    "content server, 150 ms" "content server, 400 ms" "local resolver"
fi
if wanted overcast; then
  echo "  overcast       $g/overcast (the root), $g/overcast/nodes/{i}"
  overcast_roles=()
  for ((i = 0; i <= overcast_nodes; i++)); do
    # each node's rate as it serves it (OvercastRootApplication.LAB_RATES), in KB/s
    rate=$(curl -sf --max-time 2 "http://127.0.0.1:$(overcast_port_of "$i")/serving-rate" | sed 's/[^0-9]//g')
    overcast_roles+=("$([ "$i" -eq 0 ] && echo root || echo node), serving $((${rate:-0} / 1024)) KB/s")
  done
  list_nodes overcast node $((overcast_nodes + 1)) overcast_port_of "${overcast_roles[@]}"
fi
if wanted napster; then
  echo "  napster        $g/napster (the index; Napster protocol on TCP 127.0.0.1:$napster_tcp_port), $g/napster/nodes/{i}"
  napster_roles=("index")
  for ((i = 1; i <= napster_peers; i++)); do
    napster_roles+=("peer peer$i$([ $((i % 3)) -eq 0 ] && echo ', firewalled' || true)")
  done
  list_nodes napster node $((napster_peers + 1)) napster_port_of "${napster_roles[@]}"
fi
if wanted gnutella; then
  echo "  gnutella       $g/gnutella (servent 0), $g/gnutella/nodes/{i}; Gnutella protocol on TCP 127.0.0.1:$gnutella_wire_port + 100*i"
  gnutella_roles=()
  for ((i = 0; i < gnutella_peers; i++)); do
    gnutella_roles+=("$([ "$i" -lt "$gnutella_ultrapeers" ] && echo ultrapeer || echo leaf), Gnutella port $(gnutella_wire_port_of "$i")")
  done
  list_nodes gnutella servent "$gnutella_peers" gnutella_port_of "${gnutella_roles[@]}"
fi
if [ -n "$prometheus_bin" ]; then
  echo "  Prometheus     http://127.0.0.1:$prometheus_port   (scrapes every $scrape_interval; targets: http://127.0.0.1:$prometheus_port/targets)"
else
  if [ -n "$prometheus_note" ]; then :
  elif [ "$prometheus" = no ]; then prometheus_note="--no-prometheus"
  else prometheus_note="apt-get install prometheus to get one"; fi
  echo "  Prometheus     not started: $prometheus_note"
fi
echo "  data, logs     $data"
echo
try="Try: "
tour() { echo "$try $1"; try="     "; }
if wanted chord; then
  tour "curl -X PUT $g/chord/dht/hello -d world"
  tour "curl -i $g/chord/nodes/$((chord_nodes - 1))/dht/hello"
  tour "curl $g/chord/lookup/hello"
fi
if wanted can; then
  tour "curl -X PUT $g/can/dht/hello -d world; curl $g/can/lookup/hello; curl $g/can/space"
fi
if wanted publius; then
  tour "curl -X POST $g/publius/publish -H 'Content-Type: text/plain' --data-binary 'hello'   # -> url, password"
  tour "curl -G $g/publius/retrieve --data-urlencode 'url=publius://1/...'"
fi
if wanted anycast; then
  tour "curl $g/anycast/resolve/Daily-News%25cc.gatech.edu; dig @127.0.0.1 -p $anycast_dns_port +short SRV daily-news.cc.gatech.edu.anycast"
  tour "curl -X PUT $g/anycast/nodes/1/server -H 'Content-Type: application/json' -d '{\"artificialDelayMillis\": 700}'"
fi
if wanted overcast; then
  tour "curl $g/overcast/tree; curl -X POST '$g/overcast/groups/lecture/content?name=intro.txt' --data-binary 'hello'"
  tour "curl -i $g/overcast/groups/lecture/join?name=intro.txt; curl $g/overcast/nodes/$overcast_nodes/status"
fi
if wanted napster && [ "$napster_peers" -ge 2 ]; then
  tour "curl '$g/napster/search?q=beatles+help'; curl $g/napster/stats"
  tour "curl -X POST $g/napster/nodes/2/client/search -H 'Content-Type: application/json' -d '{\"query\":\"beatles help\"}'"
  tour "curl -X POST $g/napster/nodes/2/client/downloads -H 'Content-Type: application/json' -d '{\"nick\":\"peer1\",\"path\":\"mp3\\\\Beatles - Help.mp3\"}'"
fi
if wanted gnutella && [ "$gnutella_peers" -ge 2 ]; then
  gnutella_last=$((gnutella_peers - 1))
  tour "curl $g/gnutella/nodes/$gnutella_last/stats; curl $g/gnutella/nodes/$gnutella_last/neighbours"
  tour "curl -X POST $g/gnutella/nodes/$gnutella_last/searches -H 'Content-Type: application/json' -d '{\"query\":\"gnutella protocol\"}'   # -> id"
  tour "curl $g/gnutella/nodes/$gnutella_last/searches/<id>   # results: peer, index, name, hops"
  tour "curl -X POST $g/gnutella/nodes/$gnutella_last/downloads -H 'Content-Type: application/json' -d '{\"peer\":\"<peer>\",\"index\":<index>,\"name\":\"<name>\"}'"
fi
echo "Ctrl-C (or ./lab.sh stop) stops everything."
while :; do
  for k in "${!pids[@]}"; do
    if ! kill -0 "${pids[$k]}" 2> /dev/null; then
      echo "${names[$k]} exited unexpectedly: see $data/logs/${names[$k]}.log" >&2; exit 1
    fi
  done
  sleep 1 &
  wait $! || true
done
