-- Rebuilds one sale's Redis state from PostgreSQL (the rows) plus the reservations Redis still holds (admitted, not yet
-- rows): after Redis lost recent writes (a machine crash with appendfsync everysec), or to check nothing drifted.
-- Run with the sale's pipeline drained (no worker between claiming and forgetting an order of this sale).
-- KEYS: sale, users, resv, pending, done, returned
-- ARGV: initial, startsMillis, endsMillis, perUserLimit, rows as JSON [[orderId, userId, quantity, status], ...],
--       restockChannel, saleId
-- Returns {stockBefore ('' if the sale was missing), stockAfter, liveUnits, reservedUnits, droppedReservations}
local sale, users, resv, pending, done, returned = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local initial = tonumber(ARGV[1])
local rows = cjson.decode(ARGV[5])

local before = redis.call('HGET', sale, 'stock') or ''
local held, isRow, returnedIds = {}, {}, {}
local live, returnedUnits = 0, 0
for _, r in ipairs(rows) do
  local id, u, q, s = r[1], r[2], tonumber(r[3]), r[4]
  isRow[id] = true
  if s == 'PENDING_PAYMENT' or s == 'PAID' then
    live = live + q
    held[u] = (held[u] or 0) + q
  else
    returnedUnits = returnedUnits + q
    returnedIds[#returnedIds + 1] = id
  end
end

-- Reservations still in Redis: an admission not yet a row holds its stock; one that is a row was persisted already.
local reserved, dropped = 0, 0
local all = redis.call('HGETALL', resv)
for i = 1, #all, 2 do
  local id, r = all[i], cjson.decode(all[i + 1])
  if isRow[id] then
    redis.call('HDEL', resv, id)
    dropped = dropped + 1
  else
    reserved = reserved + r.q
    held[r.u] = (held[r.u] or 0) + r.q
  end
end

local stock = initial - live - reserved
redis.call('HSET', sale, 'stock', stock, 'initial', initial, 'starts', ARGV[2], 'ends', ARGV[3], 'limit', ARGV[4],
  'returned', returnedUnits)
if redis.call('HEXISTS', sale, 'released') == 0 then redis.call('HSET', sale, 'released', 0) end
if redis.call('HEXISTS', sale, 'releasedOrders') == 0 then redis.call('HSET', sale, 'releasedOrders', 0) end
local claimed = 0
for _, _ in pairs(isRow) do claimed = claimed + 1 end
redis.call('HSET', sale, 'reserved', reserved, 'claimed', claimed)
redis.call('DEL', users)
for u, q in pairs(held) do
  if q > 0 then redis.call('HSET', users, u, q) end
end
redis.call('DEL', returned)
for _, id in ipairs(returnedIds) do redis.call('SADD', returned, id) end
for id, _ in pairs(isRow) do
  redis.call('HSET', done, id, 'S')
  redis.call('ZREM', pending, id)
end
if stock > 0 then redis.call('PUBLISH', ARGV[6], ARGV[7]) end
return {before, stock, live, reserved, dropped}
