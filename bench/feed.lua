-- wrk script: GETs the feed with the big tenant's key. QUERIES (env) is "weight<TAB>query" lines;
-- each request picks one by weight. Prints p50/p99 and the rate as JSON at the end.
local key = os.getenv("BENCH_KEY")
local picks = {}
for line in (os.getenv("QUERIES") or "limit=20"):gmatch("[^\n]+") do
  local weight, query = line:match("^(%d+)\t(.*)$")
  for _ = 1, tonumber(weight) do picks[#picks + 1] = query end
end
math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)

request = function()
  local query = picks[math.random(#picks)]
  -- a query starting with "/" is a whole path and query (the classes by cursor)
  local target = (query:sub(1, 1) == "/") and query or ("/api/v2/rv-activity-feed/?" .. query)
  return wrk.format("GET", target, { ["Authorization"] = "Bearer " .. key })
end

-- no response() callback: wrk would parse every response in Lua; non-2xx come from summary.errors.status

done = function(summary, latency, requests)
  local out = io.open(os.getenv("WRK_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "non2xx": %d, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status or 0, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  out:close()
end
