-- wrk script: POST purchases, each request as the next user from tokens.txt (so per-user limits never bite).
-- KEYED=1: every request also carries a fresh Idempotency-Key (a keyed buyer on a sold-out sale costs a look-up of
-- its key: this measures that path).
-- NOOP=1: the same requests (same Lua, headers and body) go to POST /api/noop instead: the no-op in a purchase's shape.
local tokens = {}
local path = os.getenv("TOKENS") or "tokens.txt"
for line in io.lines(path) do tokens[#tokens + 1] = line end
local sale = os.getenv("SALE")
local keyed = os.getenv("KEYED") == "1"
local target = os.getenv("NOOP") == "1" and "/api/noop" or ("/api/sales/" .. tostring(sale) .. "/purchases")
local counter = 0

function setup(thread)
  thread:set("offset", math.random(1, #tokens))
  thread:set("tag", tostring(math.random(1, 1000000000)))
end

request = function()
  counter = counter + 1
  local t = tokens[((offset + counter) % #tokens) + 1]
  local headers = { ["Authorization"] = "Bearer " .. t, ["Content-Type"] = "application/json" }
  if keyed then headers["Idempotency-Key"] = tag .. "-" .. counter end
  return wrk.format("POST", target, headers, '{"quantity":1}')
end

done = function(summary, latency, requests)
  io.write(string.format("rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status, summary.requests))
end
