-- wrk script for the soak fault case: 64 connections cycling over every endpoint, counting statuses.
local paths = {"/health", "/services", "/services/k3s/status", "/services/k3s/logs?lines=20",
               "/gpu/nvidia-smi", "/overview", "/metrics", "/services/admission-controller/status"}
local threads = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, limited, errors = 0, 0, 0
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 429 then limited = limited + 1
  else errors = errors + 1 end
end

function done(summary, latency, requests)
  local o, l, e = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); l = l + t:get("limited"); e = e + t:get("errors")
  end
  io.write(string.format("soak: %d x 200, %d x 429, %d other, %d socket errors, p99 %.0f ms\n",
    o, l, e, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(99) / 1000))
end
