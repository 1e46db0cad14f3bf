-- Admission, atomically: sale active, idempotency key, per-user limit, stock; then decrement and record the
-- reservation (the local message table) and index it for the sweeper until it is known to be in Kafka.
-- KEYS: sale, users, idem, resv, pending    ARGV: orderId, userId, quantity, idempotencyKey ('' if none)
-- Returns {outcome, orderId, stockLeft, admittedAtMillis}
local sale, users, idem, resv, pending = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local orderId, userId, qty, key = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]

local f = redis.call('HMGET', sale, 'stock', 'starts', 'ends', 'limit')
if not f[1] then return {'NO_SALE', '', 0, 0} end
local stock, starts, ends, limit = tonumber(f[1]), tonumber(f[2]), tonumber(f[3]), tonumber(f[4])

local idemField = ''
if key ~= '' then
  idemField = userId .. '\n' .. key
  local previous = redis.call('HGET', idem, idemField)
  if previous then return {'DUPLICATE', previous, stock, 0} end
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now < starts then return {'NOT_STARTED', '', stock, now} end
if now >= ends then return {'ENDED', '', stock, now} end
if stock <= 0 then return {'SOLD_OUT', '', stock, now} end
if stock < qty then return {'INSUFFICIENT', '', stock, now} end

local held = tonumber(redis.call('HGET', users, userId) or '0')
if held + qty > limit then return {'LIMIT', '', stock, now} end

local left = redis.call('HINCRBY', sale, 'stock', -qty)
redis.call('HINCRBY', users, userId, qty)
redis.call('HINCRBY', sale, 'reserved', qty)
if idemField ~= '' then redis.call('HSET', idem, idemField, orderId) end
redis.call('HSET', resv, orderId, cjson.encode({u = userId, q = qty, t = now, k = key}))
redis.call('ZADD', pending, now, orderId)
return {'OK', orderId, left, now}
