-- Added after report.lua by run.py for a page asked with a new path each request (a new search
-- word): each request asks for the next line of the file BENCH_PATHS, in turn. Only then is a
-- request() defined: without one, wrk builds its request once and sends it again.
local paths, n = {}, 0
for line in io.lines(os.getenv("BENCH_PATHS")) do
  table.insert(paths, line)
end

function request()
  n = n % #paths + 1
  return wrk.format(nil, paths[n])
end
