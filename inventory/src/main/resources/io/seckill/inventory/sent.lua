-- The broker acknowledged these orders: the sweeper no longer needs to look at them.
-- KEYS: pending    ARGV: orderIds
for i = 1, #ARGV do redis.call('ZREM', KEYS[1], ARGV[i]) end
return #ARGV
