#!lua
-- token-touch: raises a token's last-used time, never lowering it; a missing token stays missing.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  token id   ARGV[2]  last used at (caller ms)
-- Returns  nothing
-- @include keys

if redis.call('HEXISTS', TOKENS, ARGV[1]) == 1 then
  local known = tonumber(redis.call('HGET', TOKEN_USE, ARGV[1]))
  local at = tonumber(ARGV[2])
  if known == nil or known < at then redis.call('HSET', TOKEN_USE, ARGV[1], ARGV[2]) end
end
return nil
