-- wrk script for `make bench` (scripts/bench/run.py): counts every response that is not a 200
-- (a redirect to the sign-in page is a failure here, not a fast page) and prints the run's
-- figures as one JSON line after the marker BENCH_JSON.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  first_status = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    if first_status == 0 then
      first_status = status
    end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
    if first == 0 then
      first = thread:get("first_status")
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "not_200": %d, "first_status": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, bad, first, e.connect, e.read, e.write, e.timeout))
end
