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
-- @include jobs
-- @include flow

-- A queue that gets group settings: its unfinished jobs without a group join the ungrouped lane
-- (group ''), so its grouped lease finds them. O(unfinished jobs), once.
local function adopt_ungrouped(queue)
  local ids = {}
  for _, member in ipairs(redis.call('ZRANGE', qkey(queue, 'waiting'), 0, -1)) do
    ids[#ids + 1] = member_id(member, SORT_KEY_PRIORITY + SORT_KEY_TIME)
  end
  for _, member in ipairs(redis.call('ZRANGE', qkey(queue, 'delayed'), 0, -1)) do
    ids[#ids + 1] = member_id(member, SORT_KEY_TIME)
  end
  for _, id in ipairs(redis.call('ZRANGE', qkey(queue, 'active'), 0, -1)) do ids[#ids + 1] = id end
  for _, id in ipairs(ids) do
    local job = load_job(id)
    if job and job.group == nil then move(job, { group = '' }) end
  end
end

-- A queue that gets `maxBytes` starts its running `backlogBytes` (jobs.lua) from the payloads of
-- its waiting and delayed jobs, O(backlog) once; one that loses it drops the total.
local function track_bytes(queue, tracked)
  local key = queue_key(queue)
  if not tracked then
    redis.call('HDEL', key, 'backlogBytes')
    return
  end
  if redis.call('HEXISTS', key, 'backlogBytes') == 1 then return end
  local total = 0
  for _, member in ipairs(redis.call('ZRANGE', qkey(queue, 'waiting'), 0, -1)) do
    local fields = redis.call('HMGET', job_key(member_id(member, SORT_KEY_PRIORITY + SORT_KEY_TIME)), 'data', 'encoding')
    total = total + payload_bytes({ data = fields[1], encoding = fields[2] })
  end
  for _, member in ipairs(redis.call('ZRANGE', qkey(queue, 'delayed'), 0, -1)) do
    local fields = redis.call('HMGET', job_key(member_id(member, SORT_KEY_TIME)), 'data', 'encoding')
    total = total + payload_bytes({ data = fields[1], encoding = fields[2] })
  end
  redis.call('HSET', key, 'backlogBytes', int(total))
end

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local queue = ARGV[3]
ensure_queue(queue, NOW)
local config = cjson.decode(ARGV[4])
local was_grouped = redis.call('HEXISTS', queue_key(queue), 'grouped') == 1
redis.call('HSET', queue_key(queue), 'config', ARGV[4])
store_flow(queue, config)
track_bytes(queue, type(config.maxBytes) == 'number')
if redis.call('HEXISTS', queue_key(queue), 'grouped') == 1 and not was_grouped then adopt_ungrouped(queue) end
return queue_reply(queue)
