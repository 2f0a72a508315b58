-- wrk script for benchmarks/load.py: GET one page type, rotating per-user cookies and paths.
--   wrk -t1 -cN -d20s --timeout 60s -s pages.lua http://127.0.0.1:PORT -- LIST_FILE
-- LIST_FILE: one request per line, "<path>\t<Cookie header value>" (empty: no cookie).
-- Any status but 200 counts as an error (a redirect to /login/ means the page went unmeasured).
-- done() prints one line "WRK_JSON {...}" with counts and p50/p95/p99 in microseconds.

local entries = {}
local index = 0
local threads = {}
unexpected = 0 -- global: done() reads it from each thread with thread:get()

function setup(thread)
  thread:set("thread_no", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]+)\t(.*)$")
    if path then
      local headers = nil
      if cookie ~= "" then
        headers = { Cookie = cookie }
      end
      entries[#entries + 1] = wrk.format("GET", path, headers)
    end
  end
  if #entries == 0 then
    error("no requests in " .. tostring(args[1]))
  end
  -- Threads start at different users.
  index = (thread_no or 0) * 7 % #entries
end

function request()
  index = index % #entries + 1
  return entries[index]
end

function response(status, headers, body)
  if status ~= 200 then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("unexpected") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
      .. '"write": %d, "timeout": %d, "status_4xx_5xx": %d, "not_200": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout,
    e.status, bad, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max
  ))
end
