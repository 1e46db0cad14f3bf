-- These orders are rows in PostgreSQL now; their reservations are no longer needed.
-- KEYS: resv    ARGV: orderIds
for i = 1, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
return #ARGV
