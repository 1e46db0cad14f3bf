-- Returns the stock of a persisted order that was cancelled or rejected, exactly once per order.
-- KEYS: sale, users, returned    ARGV: orderId, userId, quantity, restockChannel, saleId
-- Returns 1 if this call returned the stock, 0 if it had been returned before.
local sale, users, returned = KEYS[1], KEYS[2], KEYS[3]
local id, userId, qty = ARGV[1], ARGV[2], tonumber(ARGV[3])
if redis.call('SADD', returned, id) == 0 then return 0 end
local left = redis.call('HINCRBY', sale, 'stock', qty)
redis.call('HINCRBY', users, userId, -qty)
redis.call('HINCRBY', sale, 'returned', qty)
if left - qty <= 0 then redis.call('PUBLISH', ARGV[4], ARGV[5]) end
return 1
