-- wrk script of the bench: counts answers other than 200 (wrk itself only counts 4xx/5xx, so a
-- redirect to the sign-in page would pass) and prints the figures as one JSON line for run.py.
-- With a number of pages as argument (`-- 504`), each request asks for a random page of the review
-- queue in a random order, as coordinators paging through it would (few of them are cached).
local threads = {}
local sorts = {"-submitted", "submitted", "-start", "start", "-score", "score"}

function setup(thread)
  table.insert(threads, thread)
  thread:set("seed", #threads)
end

function init(args)
  not_200 = 0
  pages = tonumber(args[1] or "0")
  math.randomseed(os.time() * 100 + seed)
  fixed = wrk.format()
end

function request()
  if pages > 0 then
    local path = wrk.path .. "?sort=" .. sorts[math.random(#sorts)] .. "&page=" .. math.random(pages)
    return wrk.format(nil, path)
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
