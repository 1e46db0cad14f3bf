-- Gives a node-id lease back, only if this process still holds it (never deletes another holder's lease).
-- KEYS: lease    ARGV: owner token
-- Returns 1 if released, 0 if it was not ours (any more).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
