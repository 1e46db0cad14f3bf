-- Admission of a group of orders of one sale, atomically, in arrival order, with exactly admit.lua's rules for each
-- (sale active, idempotency key, per-user limit, stock): an order sees everything the orders before it in the group
-- took, as it would one call later. One call instead of one per order; the reads are one HMGET per hash and the writes
-- one command per hash, for the whole group.
-- KEYS: sale, users, idem, resv, pending
-- ARGV: n, then per order: orderId, userId, quantity, idempotencyKey ('' if none)
-- Returns 4 values per order, in order: outcome, orderId, stockLeft, admittedAtMillis (as admit.lua's reply)
local sale, users, idem, resv, pending = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local n = tonumber(ARGV[1])
local out = {}

local f = redis.call('HMGET', sale, 'stock', 'starts', 'ends', 'limit')
if not f[1] then
  for i = 1, n do
    local b = (i - 1) * 4
    out[b + 1], out[b + 2], out[b + 3], out[b + 4] = 'NO_SALE', '', 0, 0
  end
  return out
end
local stock, starts, ends, limit = tonumber(f[1]), tonumber(f[2]), tonumber(f[3]), tonumber(f[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- Everything the group reads, in two calls: the users' holdings and the keys' earlier orders.
local userArgs, keyArgs = {}, {}
for i = 1, n do
  local b = 1 + (i - 1) * 4
  userArgs[#userArgs + 1] = ARGV[b + 2]
  if ARGV[b + 4] ~= '' then keyArgs[#keyArgs + 1] = ARGV[b + 2] .. '\n' .. ARGV[b + 4] end
end
local held, known = {}, {}
local h = redis.call('HMGET', users, unpack(userArgs))
for i, u in ipairs(userArgs) do held[u] = tonumber(h[i] or '0') end
if #keyArgs > 0 then
  local k = redis.call('HMGET', idem, unpack(keyArgs))
  for i, field in ipairs(keyArgs) do
    if k[i] then known[field] = k[i] end
  end
end

local taken, admitted = 0, 0
local changedUsers, newKeys, reservations, pend = {}, {}, {}, {}
for i = 1, n do
  local b = 1 + (i - 1) * 4
  local o = (i - 1) * 4
  local orderId, userId, qty, key = ARGV[b + 1], ARGV[b + 2], tonumber(ARGV[b + 3]), ARGV[b + 4]
  local idemField = ''
  if key ~= '' then idemField = userId .. '\n' .. key end
  local outcome, id, left = nil, '', stock
  if idemField ~= '' and known[idemField] then
    outcome, id = 'DUPLICATE', known[idemField]
  elseif now < starts then outcome = 'NOT_STARTED'
  elseif now >= ends then outcome = 'ENDED'
  elseif stock <= 0 then outcome = 'SOLD_OUT'
  elseif stock < qty then outcome = 'INSUFFICIENT'
  elseif held[userId] + qty > limit then outcome = 'LIMIT'
  else
    outcome, id = 'OK', orderId
    stock = stock - qty
    left = stock
    taken = taken + qty
    admitted = admitted + 1
    held[userId] = held[userId] + qty
    changedUsers[userId] = true
    if idemField ~= '' then
      known[idemField] = orderId
      newKeys[#newKeys + 1] = idemField
      newKeys[#newKeys + 1] = orderId
    end
    reservations[#reservations + 1] = orderId
    reservations[#reservations + 1] = cjson.encode({u = userId, q = qty, t = now, k = key})
    pend[#pend + 1] = now
    pend[#pend + 1] = orderId
  end
  -- admit.lua answers DUPLICATE with time 0 and the sale-wide checks with the time read
  out[o + 1], out[o + 2], out[o + 3], out[o + 4] = outcome, id, left, (outcome == 'DUPLICATE') and 0 or now
end

if admitted > 0 then
  redis.call('HINCRBY', sale, 'stock', -taken)
  redis.call('HINCRBY', sale, 'reserved', taken)
  local userValues = {}
  for u in pairs(changedUsers) do
    userValues[#userValues + 1] = u
    userValues[#userValues + 1] = held[u]
  end
  redis.call('HSET', users, unpack(userValues))
  if #newKeys > 0 then redis.call('HSET', idem, unpack(newKeys)) end
  redis.call('HSET', resv, unpack(reservations))
  redis.call('ZADD', pending, unpack(pend))
end
return out
