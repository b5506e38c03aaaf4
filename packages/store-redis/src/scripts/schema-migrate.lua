#!lua
-- schema-migrate: records the key layout version this code writes, unless one is recorded. A
-- deployment written by a newer layout is left alone and reported, so old code never rewrites it.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  the layout version of this code
-- Returns  the version recorded before (0 for a new deployment)
-- @include keys

local found = redis.call('GET', SCHEMA)
if found then return tonumber(found) end
redis.call('SET', SCHEMA, ARGV[1])
return 0
