#!/usr/bin/env bash
# Browser check of the lab (issue 3, evidence 3): starts the lab on a scratch data directory,
# stores "hello", and has headless Chromium load the aggregated Swagger UI through the gateway
# and run "Try it out" on GET /lookup/{key}. Screenshots go to target/browser-check/.
#
#   scripts/browser-check.sh
#
# Needs Chromium (apt-get install -y chromium; CHROMIUM=/path overrides) and Node 18+ (npm
# installs puppeteer-core into scripts/browser-check/node_modules). Uses the lab's default ports.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || echo /usr/bin/chromium)}
[ -x "$CHROMIUM" ] || { echo "no Chromium: apt-get install -y chromium (or set CHROMIUM)" >&2; exit 1; }
command -v node > /dev/null || { echo "no node (Node 18+)" >&2; exit 1; }
(cd scripts/browser-check && npm install --no-audit --no-fund --silent)

data=$(mktemp -d /tmp/browser-check.XXXXXX)
timeout 600 ./lab.sh --chord-nodes 2 --data "$data" > "$data/lab.out" 2>&1 &
lab=$!
trap './lab.sh stop --data "$data" > /dev/null 2>&1 || true; wait $lab 2> /dev/null || true' EXIT
for _ in $(seq 1 360); do grep -q "p2plab is up" "$data/lab.out" && break; kill -0 $lab || { cat "$data/lab.out"; exit 1; }; sleep 0.5; done
grep -q "p2plab is up" "$data/lab.out" || { echo "the lab did not start" >&2; exit 1; }
curl -sf -X PUT http://127.0.0.1:8080/chord/dht/hello -d world > /dev/null
rm -rf target/browser-check
node scripts/browser-check/check.mjs http://127.0.0.1:8080 "$(pwd)/target/browser-check"
