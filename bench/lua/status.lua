-- bench/lua/status.lua: wrk script that reads the state of existing cases
-- (POST /api/v1/receipt/status {"receipt": ...}) with valid receipts read in
-- init() from the file named by $HRDD_BENCH_RECEIPTS (one a line, written by
-- file.lua). Each thread starts at its own offset and cycles through them.
-- done() prints "status CODE N" lines and "ok_per_s X" (200s only).

local reqs = {}
local next_req = 1
counts = {}
local threads = {}
local thread_no = 0

function setup(thread)
  thread_no = thread_no + 1
  thread:set("thread_no", thread_no)
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("HRDD_BENCH_RECEIPTS")
  local f = path and io.open(path, "r")
  if not f then error("status.lua: set HRDD_BENCH_RECEIPTS to a file of receipts") end
  local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
  for line in f:lines() do
    if #line > 0 then
      reqs[#reqs + 1] = wrk.format("POST", "/api/v1/receipt/status", headers,
                                   '{"receipt":"' .. line .. '"}')
    end
  end
  f:close()
  if #reqs == 0 then error("status.lua: no receipts in " .. path) end
  next_req = (((thread_no or 1) - 1) * 7919) % #reqs + 1
end

function request()
  local r = reqs[next_req]
  next_req = next_req % #reqs + 1
  return r
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("counts")) do total[code] = (total[code] or 0) + n end
  end
  local codes = {}
  for code in pairs(total) do table.insert(codes, code) end
  table.sort(codes)
  for _, code in ipairs(codes) do io.write(string.format("status %d %d\n", code, total[code])) end
  io.write(string.format("ok_per_s %.1f\n", (total[200] or 0) / (summary.duration / 1e6)))
end
