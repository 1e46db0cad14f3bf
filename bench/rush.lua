-- wrk script for the rush (bench/rush.sh): each buyer of tokens.txt purchases once, with an Idempotency-Key of its own.
-- Thread t of T takes lines t, t+T, t+2T, ...; once a thread has sent its buyers, its connections send nothing more
-- (delay() parks them for an hour) and it stops when the last answer arrives, so the latency histogram holds exactly one entry per
-- buyer. The first request and the last answer are stamped with CLOCK_MONOTONIC (LuaJIT's ffi) so done() can print
-- when the whole crowd had been answered.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } rush_timespec;
  int clock_gettime(int clk_id, rush_timespec *tp);
]]
local ts = ffi.new("rush_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local sale = os.getenv("SALE")
local path = os.getenv("TOKENS") or "tokens.txt"
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  thread:set("nthreads", tonumber(os.getenv("THREADS") or "2"))
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  mine = {}
  local i = 0
  for line in io.lines(path) do
    if i % nthreads == id then mine[#mine + 1] = { i, line } end
    i = i + 1
  end
  reserved, sent, answered, first, last = 0, 0, 0, 0, 0
  s202, s409, s429, s503, other = 0, 0, 0, 0, 0
end

function request()
  sent = sent + 1
  if sent == 1 then first = now_ms() end
  local b = mine[sent]
  if b == nil then b = mine[#mine] end -- not expected (delay() parks every connection once the buyers are out)
  return wrk.format("POST", "/api/sales/" .. sale .. "/purchases",
    { ["Authorization"] = "Bearer " .. b[2], ["Content-Type"] = "application/json", ["Idempotency-Key"] = "rush-" .. b[1] },
    '{"quantity":1}')
end

-- wrk asks delay() before each request of a connection, but several connections may ask before any of them sends, so
-- the buyers are counted out here, not in request().
function delay()
  if reserved >= #mine then return 3600000 end
  reserved = reserved + 1
  return 0
end

function response(status, headers, body)
  answered = answered + 1
  if status == 202 then s202 = s202 + 1
  elseif status == 409 then s409 = s409 + 1
  elseif status == 429 then s429 = s429 + 1
  elseif status == 503 then s503 = s503 + 1
  else other = other + 1 end
  if answered >= #mine then
    last = now_ms()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local first_ms, last_ms, n = math.huge, 0, 0
  local c = { 0, 0, 0, 0, 0 }
  for _, t in ipairs(threads) do
    first_ms = math.min(first_ms, t:get("first"))
    last_ms = math.max(last_ms, t:get("last"))
    n = n + t:get("answered")
    c[1] = c[1] + t:get("s202"); c[2] = c[2] + t:get("s409"); c[3] = c[3] + t:get("s429")
    c[4] = c[4] + t:get("s503"); c[5] = c[5] + t:get("other")
  end
  local all = 1
  for _, t in ipairs(threads) do if t:get("last") == 0 then all = 0 end end
  local sent_all = 0
  for _, t in ipairs(threads) do sent_all = sent_all + t:get("sent") end
  io.write(string.format("sent=%d answered=%d all=%d answered_by_s=%.2f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f " ..
    "s202=%d s409=%d s429=%d s503=%d other=%d socket_errors=%d\n",
    sent_all, n, all, (last_ms - first_ms) / 1000, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, c[1], c[2], c[3], c[4], c[5],
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
