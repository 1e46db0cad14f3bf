-- Gives back the stock of a reservation that never reached a worker (its hand-off to Kafka failed), unless a worker
-- claimed it already or a broker acknowledged it (it left the pending set: a buyer may hold a 202 for it, and a worker
-- will persist it). Idempotent.
-- KEYS: sale, users, idem, resv, pending, done    ARGV: orderId, restockChannel, saleId
-- Returns RELEASED (now), SETTLED (a worker has it), DELIVERED (a broker has it), ALREADY_RELEASED, UNKNOWN.
local sale, users, idem, resv, pending, done = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local id = ARGV[1]
local d = redis.call('HGET', done, id)
if d == 'S' then return 'SETTLED' end
if d == 'R' then return 'ALREADY_RELEASED' end
local raw = redis.call('HGET', resv, id)
if not raw then return 'UNKNOWN' end
if not redis.call('ZSCORE', pending, id) then return 'DELIVERED' end
local r = cjson.decode(raw)
local left = redis.call('HINCRBY', sale, 'stock', r.q)
redis.call('HINCRBY', users, r.u, -r.q)
if r.k ~= '' then redis.call('HDEL', idem, r.u .. '\n' .. r.k) end
redis.call('HDEL', resv, id)
redis.call('ZREM', pending, id)
redis.call('HSET', done, id, 'R')
redis.call('HINCRBY', sale, 'released', r.q)
redis.call('HINCRBY', sale, 'releasedOrders', 1)
redis.call('HINCRBY', sale, 'reserved', -r.q)
if left - r.q <= 0 then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return 'RELEASED'
