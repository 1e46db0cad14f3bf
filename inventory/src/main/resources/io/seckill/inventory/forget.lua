-- These orders are rows in PostgreSQL now; their reservations are no longer needed.
-- KEYS: resv, sale    ARGV: orderIds
local units = 0
for i = 1, #ARGV do
  local raw = redis.call('HGET', KEYS[1], ARGV[i])
  if raw then
    units = units + cjson.decode(raw).q
    redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
-- The sale keeps the units still reserved as a counter, so the audit never scans the reservations.
if units > 0 then redis.call('HINCRBY', KEYS[2], 'reserved', -units) end
return #ARGV
