#!lua
-- token-revoke: deletes a token and its last-used time.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  token id
-- Returns  1 when the token existed, else 0
-- @include keys

redis.call('HDEL', TOKEN_USE, ARGV[1])
return redis.call('HDEL', TOKENS, ARGV[1])
