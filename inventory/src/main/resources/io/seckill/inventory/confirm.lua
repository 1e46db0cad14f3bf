-- The broker acknowledged one order, and the caller must know it still holds stock before it answers 202: a
-- reservation released meanwhile (its first hand-off failed) is not revived; the worker will skip it too.
-- KEYS: pending, done    ARGV: orderId
-- Returns 1 if the order stands, 0 if it was released.
if redis.call('HGET', KEYS[2], ARGV[1]) == 'R' then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
