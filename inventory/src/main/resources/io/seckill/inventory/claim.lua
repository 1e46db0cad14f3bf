-- A worker claims reservations before writing them: the one arbiter between "persist it" and "give the stock back".
-- KEYS: resv, pending, done, sale    ARGV: orderIds
-- Returns one outcome per id: CLAIMED (first claim), SETTLED (claimed before: a redelivery), RELEASED (its stock was
-- given back because the hand-off failed: do not persist), UNKNOWN (no admission exists for it).
local resv, pending, done, sale = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local claimed = 0
local out = {}
for i = 1, #ARGV do
  local id = ARGV[i]
  local d = redis.call('HGET', done, id)
  if d == 'S' then out[i] = 'SETTLED'
  elseif d == 'R' then out[i] = 'RELEASED'
  elseif redis.call('HEXISTS', resv, id) == 1 then
    redis.call('HSET', done, id, 'S')
    redis.call('ZREM', pending, id)
    claimed = claimed + 1
    out[i] = 'CLAIMED'
  else out[i] = 'UNKNOWN' end
end
-- Counted here so the audit reads one field instead of scanning every hand-off of the sale.
if claimed > 0 then redis.call('HINCRBY', sale, 'claimed', claimed) end
return out
