-- wrk script for scripts/bench-chord-ring.sh: GET requests for random pre-populated keys.
--
--   BENCH_PATH=/lookup/ BENCH_KEYS=10000 wrk -t2 -c16 -d20s --latency -s scripts/chord-random-keys.lua http://127.0.0.1:8086
--
-- BENCH_PATH  path prefix: /lookup/ (GET /lookup/{key}) or /dht/ (GET /dht/{key}); default /dht/
-- BENCH_KEYS  keys are bench-0 .. bench-(BENCH_KEYS-1), picked uniformly at random; default 10000
-- BENCH_OUT   if set, done() writes there: "requests <n> <duration_us> <errors> <non2xx>" and then
--             1000 lines "latency_us weight" (the 0.1%..100% quantiles), so that several wrk
--             processes (one per node) can be merged into one latency distribution.
local prefix = os.getenv("BENCH_PATH") or "/dht/"
local keys = tonumber(os.getenv("BENCH_KEYS") or "10000")
local out = os.getenv("BENCH_OUT")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
end

function request()
  return wrk.format("GET", prefix .. "bench-" .. math.random(0, keys - 1))
end

function done(summary, latency, requests)
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format("RESULT path=%s requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f socket_errors=%d non2xx=%d\n",
    prefix, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    socket_errors, e.status))
  if out then
    local f = assert(io.open(out, "w"))
    f:write(string.format("requests %d %d %d %d\n", summary.requests, summary.duration, socket_errors, e.status))
    for i = 1, 1000 do
      f:write(string.format("%d %.6f\n", latency:percentile(i / 10), summary.requests / 1000))
    end
    f:close()
  end
end
