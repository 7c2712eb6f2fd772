-- wrk script for bench/bench_http.py: one request shape per run, a machine-readable summary at the end.
--
--   wrk -s bench/wrk/request.lua URL -- METHOD TOKEN [BODY_FILE|-] [idem]
--
-- METHOD      GET, POST, PUT, ...
-- TOKEN       sent as "Authorization: Bearer TOKEN" ("-" for none)
-- BODY_FILE   a JSON body, sent with Content-Type: application/json ("-" for none)
-- idem        give every request a fresh UUID v4 Idempotency-Key (then the request is built per call)
--
-- At the end one line "WRKJSON {...}" carries requests, duration, errors, latency percentiles (us) and the
-- count of responses per HTTP status, summed over wrk's threads.

local threads = {}
local nthreads = 0

function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
  table.insert(threads, thread)
end

counter = 0  -- globals: thread:get() reads globals of the thread's Lua state
statuses = {}

local function uuid4()
  -- version 4 and variant bits fixed; random, plus the thread id and a per-thread counter so that no two
  -- requests of a run ever share a key (a replay would be a different code path).
  counter = counter + 1
  return string.format("%04x%04x-%04x-4%03x-%x%03x-%02x%02x%08x",
    math.random(0, 0xffff), math.random(0, 0xffff), math.random(0, 0xffff), math.random(0, 0xfff),
    8 + math.random(0, 3), math.random(0, 0xfff), tid % 256, math.random(0, 0xff), counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  wrk.method = args[1] or "GET"
  local token = args[2] or "-"
  local body_file = args[3] or "-"
  if token ~= "-" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
  if body_file ~= "-" then
    local f = assert(io.open(body_file, "rb"))
    wrk.body = f:read("*a")
    f:close()
    wrk.headers["Content-Type"] = "application/json"
  end
  if args[4] == "idem" then
    -- a global `request` makes wrk build each request anew
    request = function()
      wrk.headers["Idempotency-Key"] = uuid4()
      return wrk.format()
    end
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local agg = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses") or {}
    for code, n in pairs(s) do
      agg[code] = (agg[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(agg) do
    table.insert(parts, string.format('"%d": %d', code, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "stdev": %.1f, "max": %d, "p50": %d, "p90": %d, "p99": %d, "p999": %d}, ' ..
    '"statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    table.concat(parts, ", ")))
end
