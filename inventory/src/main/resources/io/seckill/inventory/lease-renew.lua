-- Renews a node-id lease if this process still holds it.
-- KEYS: lease    ARGV: owner token, ttl in milliseconds
-- Returns 1 if renewed, 0 if the lease is gone or held by someone else (the caller must stop using the node id).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
