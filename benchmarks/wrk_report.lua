-- wrk script of the bench: counts answers other than 200 (wrk itself only counts 4xx/5xx, so a
-- redirect to the sign-in page would pass) and prints the figures as one JSON line for run.py.
-- With a file of paths as argument (`-- var/bench/wrk-paths.txt`, one path a line), each request asks
-- for one of them at random, with a parameter of its own (`_=<thread>-<number>`) that no cache could
-- have seen before: the pages are rendered for every request, as coordinators browsing would have them.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("seed", #threads)
end

function init(args)
  not_200 = 0
  counter = 0
  paths = {}
  if args[1] then
    for line in io.lines(args[1]) do
      if #line > 0 then
        table.insert(paths, line)
      end
    end
  end
  math.randomseed(os.time() * 100 + seed)
  fixed = wrk.format()
end

function request()
  if #paths > 0 then
    counter = counter + 1
    local path = paths[math.random(#paths)]
    local joiner = path:find("?", 1, true) and "&" or "?"
    return wrk.format(nil, path .. joiner .. "_=" .. seed .. "-" .. counter)
  end
  return fixed
end

function response(status, headers, body)
  if status ~= 200 then
    not_200 = not_200 + 1
  end
end

function done(summary, latency, requests)
  local not_200_total = 0
  for _, thread in ipairs(threads) do
    not_200_total = not_200_total + thread:get("not_200")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "not_200": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "latency_p50_us": %d, "latency_p95_us": %d, "latency_max_us": %d}\n',
    summary.requests, summary.duration, not_200_total, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency.max))
end
