#!lua
-- schedule-fire: one fire of a schedule, atomic: its jobs are enqueued and its record updated,
-- or nothing changes. With a version (a scheduled fire) it applies only while the record is at
-- that version, then sets nextFireAt and adds `fired` to fires; without (a trigger) it leaves
-- them. The jobs are inserted as job-enqueue.lua inserts them (an existing id or an open dedupKey
-- of the queue returns the existing job; `maxWaiting` and `maxBytes` are checked before any write), a new one
-- by the same insert_job (includes/insert.lua).
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode   ARGV[3]  name   ARGV[4]  version (opt int: '' = trigger)
-- ARGV[5]  nextFireAt (opt int)   ARGV[6]  fired   ARGV[7]  lastFireAt (opt int)
-- ARGV[8]  job count n, then n times the 18 fields of job-enqueue.lua
-- Returns  { 0, schedule_reply } when it did not apply (empty when the schedule is gone);
--          { 1, schedule_reply, { per job: { 1, seq, shift } or { 0, job fields } } };
--          or { 'queue-full', queue, 'maxWaiting' or 'maxBytes', bound } and nothing written
-- @include keys
-- @include codec
-- @include clock
-- @include jobs
-- @include queues
-- @include schedules
-- @include insert

local NOW, SHIFT = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local name, version = ARGV[3], opt_int(ARGV[4])
local skey = schedule_key(name)
local current = redis.call('HGET', skey, 'version')
if not current or (version and tonumber(current) ~= version) then return { 0, schedule_reply(name) } end

local FIELDS, BASE_ARG = 18, 8
local count = tonumber(ARGV[BASE_ARG])
local function arg(i, field) return ARGV[BASE_ARG + (i - 1) * FIELDS + field] end

local function existing(id, queue, dedup_key)
  local job = load_job(id)
  if job or dedup_key == nil then return job end
  local holder = redis.call('HGET', qkey(queue, 'dedup'), dedup_key)
  if not holder then return nil end
  job = load_job(holder)
  if job and job.dedupUntil and tonumber(job.dedupUntil) > NOW then return job end
  return nil
end

local grouped_queues = {}
for i = 1, count do
  local queue = arg(i, 2)
  ensure_queue(queue, NOW)
  if grouped_queues[queue] == nil then
    grouped_queues[queue] = redis.call('HEXISTS', queue_key(queue), 'grouped') == 1
  end
end
local bounds, fresh = {}, {}
for i = 1, count do
  local queue = arg(i, 2)
  if bounds[queue] == nil then
    local limits = redis.call('HMGET', queue_key(queue), 'maxWaiting', 'maxBytes')
    local max_waiting, max_bytes = tonumber(limits[1]), tonumber(limits[2])
    bounds[queue] = (max_waiting or max_bytes) and { max = max_waiting, new = 0, max_bytes = max_bytes, bytes = 0 } or false
  end
  local found = existing(arg(i, 1), queue, opt_text(arg(i, 15)))
  fresh[i] = not found
  if bounds[queue] and not found then
    bounds[queue].new = bounds[queue].new + 1
    bounds[queue].bytes = bounds[queue].bytes + payload_bytes({ data = arg(i, 6), encoding = arg(i, 5) })
  end
end
for queue, bound in pairs(bounds) do
  if bound then
    local backlog = redis.call('ZCARD', qkey(queue, 'waiting')) + redis.call('ZCARD', qkey(queue, 'delayed'))
    if bound.max and backlog + bound.new > bound.max then return { 'queue-full', queue, 'maxWaiting', int(bound.max) } end
    if bound.max_bytes then
      local bytes = tonumber(redis.call('HGET', queue_key(queue), 'backlogBytes')) or 0
      if bytes + bound.bytes > bound.max_bytes then return { 'queue-full', queue, 'maxBytes', int(bound.max_bytes) } end
    end
  end
end

local results = {}
for i = 1, count do
  local id, queue, dedup_key = arg(i, 1), arg(i, 2), opt_text(arg(i, 15))
  local found = not fresh[i] and existing(id, queue, dedup_key)
  if found then
    results[i] = { 0, job_reply(found) }
  else
    local seq = insert_job(BASE_ARG + (i - 1) * FIELDS, SHIFT, grouped_queues[queue])
    results[i] = { 1, seq, SHIFT }
  end
end

local last_fire = opt_int(ARGV[7])
if last_fire then redis.call('HSET', skey, 'lastFireAt', int(last_fire)) end
if version then
  local next_fire = opt_int(ARGV[5])
  if next_fire then redis.call('HSET', skey, 'nextFireAt', int(next_fire)) else redis.call('HDEL', skey, 'nextFireAt') end
  redis.call('HINCRBY', skey, 'fires', tonumber(ARGV[6]))
end
redis.call('HINCRBY', skey, 'version', 1)
redis.call('HSET', skey, 'updatedAt', int(NOW - SHIFT))
index_schedule(name)
return { 1, schedule_reply(name), results }
