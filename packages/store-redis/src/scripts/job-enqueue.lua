#!lua
-- job-enqueue: inserts a batch of new jobs, all or nothing, in batch order. An existing id returns
-- the existing job; so does a dedupKey of the same queue whose window is still open; later jobs of
-- the batch see earlier ones. Missing queues are created with an empty config. Every check that
-- can refuse a job runs before that job's writes, and nothing after the first write can fail.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)          ARGV[2]  time mode: 'backend' or 'caller'
-- ARGV[3]  job count n             then n times 18 fields:
--          id, queue, name (opt text), state, encoding, data, priority, maxAttempts, createdAt,
--          runAt, expiresAt (opt int), leaseMs, timeoutMs (opt int), backoff (JSON),
--          dedupKey (opt text), dedupUntil (opt int), meta (JSON), group (opt text)
-- A job without a group in a queue with group settings goes into its ungrouped lane (group '';
-- includes/insert.lua, which schedule-fire.lua shares).
-- Returns  per job { 1, seq, shift } when created (the caller builds the job from its input,
--          times moved by shift), or { 0, job fields } when an existing job is returned; or
--          { 'queue-full', queue, 'maxWaiting' or 'maxBytes', bound } and nothing written when a
--          queue with `maxWaiting` (flow.lua) would hold more waiting and delayed jobs than that
--          after the batch, or one with `maxBytes` more payload bytes (its `backlogBytes`, jobs.lua).
-- @include keys
-- @include codec
-- @include clock
-- @include jobs
-- @include queues
-- @include insert

local NOW, SHIFT = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local FIELDS = 18
local count = tonumber(ARGV[3])

local function arg(i, field) return ARGV[3 + (i - 1) * FIELDS + field] end

local grouped_queues = {}
for i = 1, count do
  local queue = arg(i, 2)
  ensure_queue(queue, NOW)
  if grouped_queues[queue] == nil then
    grouped_queues[queue] = redis.call('HEXISTS', queue_key(queue), 'grouped') == 1
  end
end

local function existing(id, queue, dedup_key)
  local job = load_job(id)
  if job or dedup_key == nil then return job end
  local holder = redis.call('HGET', qkey(queue, 'dedup'), dedup_key)
  if not holder then return nil end
  job = load_job(holder)
  if job and job.dedupUntil and tonumber(job.dedupUntil) > NOW then return job end
  return nil
end

-- Back-pressure, before any write: the jobs (and their payload bytes) the batch would create per
-- queue with `maxWaiting` or `maxBytes`
-- (an existing id, an open dedupKey, or one met earlier in the batch creates nothing).
local bounds = {}
for i = 1, count do
  local queue = arg(i, 2)
  if bounds[queue] == nil then
    local limits = redis.call('HMGET', queue_key(queue), 'maxWaiting', 'maxBytes')
    local max_waiting, max_bytes = tonumber(limits[1]), tonumber(limits[2])
    bounds[queue] = (max_waiting or max_bytes) and { max = max_waiting, new = 0, max_bytes = max_bytes, bytes = 0 } or false
  end
end
local seen_ids, seen_dedup = {}, {}
for i = 1, count do
  local id, queue, dedup_key = arg(i, 1), arg(i, 2), opt_text(arg(i, 15))
  local dedup_ref = dedup_key and opt_int(arg(i, 16)) and (queue .. ':' .. dedup_key)
  local repeated = seen_ids[id] or (dedup_ref and seen_dedup[dedup_ref])
  if bounds[queue] and not repeated and not existing(id, queue, dedup_key) then
    bounds[queue].new = bounds[queue].new + 1
    bounds[queue].bytes = bounds[queue].bytes + payload_bytes({ data = arg(i, 6), encoding = arg(i, 5) })
  end
  seen_ids[id] = true
  if dedup_ref then seen_dedup[dedup_ref] = true end
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
  local found = existing(id, queue, dedup_key)
  if found then
    results[i] = { 0, job_reply(found) }
  else
    local seq = insert_job(3 + (i - 1) * FIELDS, SHIFT, grouped_queues[queue])
    results[i] = { 1, seq, SHIFT }
  end
end
return results
