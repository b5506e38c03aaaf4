#!lua
-- queue-configure: creates the queue if needed (createdAt = now, not paused) and replaces its config,
-- with its flow-control fields (see flow.lua).
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'
-- ARGV[3]  queue             ARGV[4]  config (JSON)
-- Returns  the queue: name, then its fields
-- @include keys
-- @include codec
-- @include clock
-- @include queues
-- @include flow

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
ensure_queue(ARGV[3], NOW)
redis.call('HSET', queue_key(ARGV[3]), 'config', ARGV[4])
store_flow(ARGV[3], cjson.decode(ARGV[4]))
return queue_reply(ARGV[3])
