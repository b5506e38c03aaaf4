#!lua
-- job-nack: applies core's target to an active job under `token`; refusals follow lease-check.lua
-- (with leaseExpiredOnly, the reaper's nack applies only once the lease has run out).
-- Placement `front` gives the job a ready time just before the earliest waiting job of its queue
-- and priority (or now, when that is earlier), `back` just after the latest one (or now, when that
-- is later): one seek each into the waiting index, within the job's priority prefix. A failed
-- attempt counts for the worker that held the lease and in the queue's failed total.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)        ARGV[2]  time mode: 'backend' or 'caller'
-- ARGV[3]  job id                 ARGV[4]  lease token
-- ARGV[5]  kind: 'placement' or 'failure'           ARGV[6]  leaseExpiredOnly: '1' or '0'
-- ARGV[7]  target state: 'waiting', 'delayed' or 'dead'
-- ARGV[8]  target detail: placement 'front'/'back', runAt (caller ms), or dead reason
-- ARGV[9]  error (opt text: its JSON without `at`)  ARGV[10] error at (caller ms, with an error)
-- Returns  { 'ok', job fields } or a refusal from lease-check.lua
-- @include keys
-- @include codec
-- @include clock
-- @include jobs
-- @include lease-check
-- @include workers
-- @include queues

local NOW, SHIFT = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local job = load_job(ARGV[3])
local refusal = check_lease(job, ARGV[4], NOW, ARGV[6] == '1')
if refusal then return refusal end
local kind, target, detail = ARGV[5], ARGV[7], ARGV[8]

-- The runAt of the first or last waiting job of the job's queue and priority, or nil.
local function edge_run_at(last)
  local key = qkey(job.queue, 'waiting')
  local prefix = hex_priority(tonumber(job.priority))
  local members
  -- 'g' sorts after every hex digit: '(' .. prefix .. 'g' bounds the members with this prefix.
  if last then
    members = redis.call('ZREVRANGEBYLEX', key, '(' .. prefix .. 'g', '[' .. prefix, 'LIMIT', 0, 1)
  else
    members = redis.call('ZRANGEBYLEX', key, '[' .. prefix, '(' .. prefix .. 'g', 'LIMIT', 0, 1)
  end
  if #members == 0 then return nil end
  return unhex_time(string.sub(members[1], SORT_KEY_PRIORITY + 1, SORT_KEY_PRIORITY + SORT_KEY_TIME))
end

local changes = { leaseToken = NULL, leaseExpiresAt = NULL, state = target }
if target == 'delayed' then
  changes.runAt = tonumber(detail) + SHIFT
elseif target == 'dead' then
  changes.deadReason = detail
  changes.finishedAt = NOW
elseif detail == 'front' then
  local earliest = edge_run_at(false)
  changes.runAt = earliest and math.min(NOW, earliest - 1) or NOW
else
  local latest = edge_run_at(true)
  changes.runAt = latest and math.max(NOW, latest + 1) or NOW
end

local error_head = opt_text(ARGV[9])
if error_head then
  local at = ',"at":' .. int(tonumber(ARGV[10]) + SHIFT) .. '}'
  if error_head == '{}' then changes.error = '{' .. string.sub(at, 2) else changes.error = string.sub(error_head, 1, -2) .. at end
end
if kind == 'placement' then
  changes.nacks = tonumber(job.nacks) + 1
  if target == 'delayed' then changes.delayedNacks = tonumber(job.delayedNacks) + 1 end
end

move(job, changes)
if kind == 'failure' then
  count_for_worker(job.worker, 'failed')
  count_for_queue(job.queue, 'failedTotal', 1)
end
return { 'ok', job_reply(job) }
