-- settle: ack and nack of one job, shared by the single scripts and their batch forms, which
-- apply their items one after the other in one script (so a later item sees an earlier one's
-- change, as separate calls would). Each returns { 'ok', job fields } or a refusal from
-- lease-check.lua.

-- An active job under `token` becomes completed with its result (opt text: JSON). The worker
-- that held the lease counts one more processed job, and the queue one more completed job.
local function ack_job(id, token, result, now)
  local job = load_job(id)
  local refusal = check_lease(job, token, now, false)
  if refusal then return refusal end
  move(job, {
    state = 'completed',
    result = opt_text(result) or NULL,
    finishedAt = now,
    leaseToken = NULL,
    leaseExpiresAt = NULL,
  })
  count_for_worker(job.worker, 'processed')
  count_for_queue(job.queue, 'completedTotal', 1)
  return { 'ok', job_reply(job) }
end

-- The runAt of the first or last waiting job of `job`'s queue and priority, or nil: one seek into
-- the waiting index, within the priority prefix.
local function edge_run_at(job, last)
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

-- Applies core's target to an active job under `token` (with `lease_expired_only`, the reaper's
-- nack, only once the lease has run out). `target` is 'waiting', 'delayed' or 'dead'; `detail`
-- the placement ('front': just before the earliest waiting job of the job's queue and priority,
-- or now when that is earlier; 'back': just after the latest, or now when that is later), the
-- runAt (caller ms, moved by `shift`) or the dead reason. `error_head` (opt text) is the error's
-- JSON without `at`, and `error_at` its time (caller ms). A `failure` counts for the worker that
-- held the lease and in the queue's failed total; a `placement` counts in the job's nacks.
local function nack_job(id, token, kind, lease_expired_only, target, detail, error_head, error_at, now, shift)
  local job = load_job(id)
  local refusal = check_lease(job, token, now, lease_expired_only)
  if refusal then return refusal end
  local changes = { leaseToken = NULL, leaseExpiresAt = NULL, state = target }
  if target == 'delayed' then
    changes.runAt = tonumber(detail) + shift
  elseif target == 'dead' then
    changes.deadReason = detail
    changes.finishedAt = now
  elseif detail == 'front' then
    local earliest = edge_run_at(job, false)
    changes.runAt = earliest and math.min(now, earliest - 1) or now
  else
    local latest = edge_run_at(job, true)
    changes.runAt = latest and math.max(now, latest + 1) or now
  end
  local head = opt_text(error_head)
  if head then
    local at = ',"at":' .. int(tonumber(error_at) + shift) .. '}'
    if head == '{}' then changes.error = '{' .. string.sub(at, 2) else changes.error = string.sub(head, 1, -2) .. at end
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
end
