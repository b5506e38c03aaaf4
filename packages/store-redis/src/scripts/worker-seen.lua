#!lua
-- worker-seen: registers a worker, or refreshes its queues and lastSeenAt (never moving it back).
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'
-- ARGV[3]  worker id         ARGV[4]  queues (JSON array)
-- Returns  nothing
-- @include keys
-- @include codec
-- @include clock
-- @include workers

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
upsert_worker(ARGV[3], ARGV[4], NOW)
return nil
