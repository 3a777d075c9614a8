-- bench/lua/file.lua: wrk script that files grievances through the public
-- JSON API (POST /api/v1/grievances): three anonymous bodies for every
-- confidential one (with contact data), realistic sizes and fields.
-- Counts every status code per thread; done() prints one "status CODE N"
-- line per code, "accepted_per_s X" (201s only, over the measured time),
-- and writes up to RECEIPTS_PER_THREAD receipts per thread, one a line, to
-- the file named by $HRDD_BENCH_RECEIPTS (when set) for the status bench.

local RECEIPTS_PER_THREAD = 4000

local narratives = {
  "My account was suspended after I posted photos from the protest in our town. The notice said " ..
  "the post glorified violence, but it only showed people holding banners. I appealed in the app " ..
  "and got an automatic answer within a minute. I use the account to coordinate a neighbourhood " ..
  "food bank and we lost contact with 300 families.",
  "A seller on the marketplace took a deposit of 400 euros for a flat that did not exist. When I " ..
  "reported the listing it stayed online for another two weeks and at least three other people " ..
  "from my language class paid the same person. Support closed my report without an answer.",
  "Someone keeps creating new accounts to send me threatening messages on the messenger after I " ..
  "blocked the first one. The messages mention my workplace and my children's school. I reported " ..
  "every account; each report was marked as not violating the rules.",
  "Job adverts for warehouse shifts in my area are not shown to me, but my younger brother sees " ..
  "them every day on the same phone. I think the ads are targeted by age and I am 52.",
}

local products = { "Kestrel Marketplace", "Kestrel Messenger", "Kestrel Ads", "Kestrel Feed" }
local countries = { "DE", "FR", "KE", "BR", "IN", "PH", "ES", "NG" }
local languages = { "de", "fr", "en", "pt", "en", "en", "es", "en" }

local function body(i)
  local n = ((i - 1) % #narratives) + 1
  local b = '{"narrative":"' .. narratives[n] .. ' (ref ' .. i .. ')",' ..
    '"product_text":"' .. products[n] .. '",' ..
    '"country":"' .. countries[((i - 1) % #countries) + 1] .. '",' ..
    '"incident_date":"2026-01-15","affected":"self","affected_count":1,' ..
    '"rights_text":"freedom of expression, privacy, safety",' ..
    '"outcome_sought":"I want the decision reviewed by a person and an explanation.",' ..
    '"language":"' .. languages[((i - 1) % #languages) + 1] .. '",'
  if i % 4 == 0 then
    b = b .. '"contact_preference":"confidential","contact_name":"Mira Example ' .. i .. '",' ..
      '"contact_email":"mira' .. i .. '@example.org","contact_phone":"+49 30 1234 ' .. (1000 + i) .. '"}'
  else
    b = b .. '"contact_preference":"anonymous"}'
  end
  return b
end

local requests_pre = {}
local next_req = 1
counts = {}
receipts = {}
local nreceipts = 0

function init(args)
  local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
  for i = 1, 16 do
    requests_pre[i] = wrk.format("POST", "/api/v1/grievances", headers, body(i))
  end
end

function request()
  local r = requests_pre[next_req]
  next_req = next_req % #requests_pre + 1
  return r
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 201 and nreceipts < RECEIPTS_PER_THREAD then
    local r = string.match(body, '"receipt"%s*:%s*"([^"]+)"')
    if r then
      nreceipts = nreceipts + 1
      receipts[nreceipts] = r
    end
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local total = {}
  local path = os.getenv("HRDD_BENCH_RECEIPTS")
  local f = path and io.open(path, "w") or nil
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("counts")) do total[code] = (total[code] or 0) + n end
    if f then
      for _, r in ipairs(t:get("receipts")) do f:write(r, "\n") end
    end
  end
  if f then f:close() end
  local codes = {}
  for code in pairs(total) do table.insert(codes, code) end
  table.sort(codes)
  for _, code in ipairs(codes) do io.write(string.format("status %d %d\n", code, total[code])) end
  local secs = summary.duration / 1e6
  io.write(string.format("accepted_per_s %.1f\n", (total[201] or 0) / secs))
end
