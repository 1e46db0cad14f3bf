-- Loads a sale's stock and rules once; a second load (a retried admin call) changes nothing.
-- KEYS: sale    ARGV: stock, startsMillis, endsMillis, perUserLimit
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'stock', ARGV[1], 'initial', ARGV[1], 'starts', ARGV[2], 'ends', ARGV[3],
  'limit', ARGV[4], 'released', 0, 'releasedOrders', 0, 'returned', 0, 'reserved', 0, 'claimed', 0)
return 1
