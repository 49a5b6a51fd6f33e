-- wrk script for the write API. MODE (env): "create" makes sessions with ids from a counter
-- per connection; "event" posts one event to one of them; "batch" posts BATCH events (NDJSON),
-- each to a different session. Ids: 00000000-0000-4000-8000-<thread><counter>.
local key = os.getenv("BENCH_KEY")
local mode = os.getenv("MODE")
local batch = tonumber(os.getenv("BATCH") or "1000")
local sessions = tonumber(os.getenv("SESSIONS_PER_THREAD") or "100000")
local threads = {}
local counter = 0
local thread_no = 0

-- THREAD_BASE (env) shifts the thread numbers in the ids: the warm-up uses its own sessions
local thread_base = tonumber(os.getenv("THREAD_BASE") or "0")

setup = function(thread)
  thread_no = thread_no + 1
  thread:set("tno", thread_base + thread_no)
  table.insert(threads, thread)
end

-- wrk calls request() once per thread before the run and drops that request, so a thread's
-- sessions are numbered from 2: "event" and "batch" address 2 .. SESSIONS_PER_THREAD + 1.
local function sid(t, n)
  return string.format("00000000-0000-4000-8%03x-%012x", t, n)
end

-- STATES (env, default "ACKNOWLEDGED,ACTIVE"): the states the events name, in turn
local states = {}
for state in string.gmatch(os.getenv("STATES") or "ACKNOWLEDGED,ACTIVE", "[^,]+") do
  table.insert(states, state)
end

request = function()
  counter = counter + 1
  local h = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
  if mode == "create" then
    local body = string.format('{"session_id":"%s","device_id":"%s","device_name":"Bench-Device-%d","video_quality":"STANDARD"}',
      sid(tno, counter), sid(tno, counter), counter % 500)
    return wrk.format("POST", "/api/v2/rv-sessions/", h, body)
  elseif mode == "event" then
    local n = (counter % sessions) + 2
    local body = string.format('{"state":"%s"}', states[math.floor(counter / sessions) % #states + 1])
    return wrk.format("POST", "/api/v2/rv-sessions/" .. sid(tno, n) .. "/events/", h, body)
  else
    h["Content-Type"] = "application/x-ndjson"
    local lines = {}
    for i = 1, batch do
      local n = ((counter * batch + i) % sessions) + 2
      lines[i] = string.format('{"session_id":"%s","state":"%s"}', sid(tno, n), states[(counter % #states) + 1])
    end
    return wrk.format("POST", "/api/v2/rv-sessions/events:batch", h, table.concat(lines, "\n") .. "\n")
  end
end

-- no response() callback (wrk would parse every response in Lua); non2xx is wrk's count of >= 400

done = function(summary, latency, requests)
  local out = io.open(os.getenv("WRK_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, "non2xx": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status or 0))
  out:close()
end
