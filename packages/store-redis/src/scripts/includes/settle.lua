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

-- MAX_ATTEMPT_HISTORY of protocol's limits.ts (the conformance suite fails if they disagree).
local ATTEMPT_HISTORY_MAX = 20

-- Appends the attempt `job` (as it was before the nack) just ended to its history, as
-- store-support's endedAttempt describes it, keeping the latest `history_max` entries; the
-- dropped ones are counted in the job's `attemptsDropped` field. One RPUSH and one LTRIM, and an
-- HINCRBY only past the bound.
local function record_attempt(job, kind, lease_expired_only, target, run_at, error_head, now, history_max)
  local outcome = 'failed'
  if kind == 'placement' then outcome = 'released' elseif lease_expired_only then outcome = 'lease-expired' end
  local err = cjson.null
  if error_head then
    err = cjson.decode(error_head)
    err.attempt = nil
  end
  local delay = 0
  if target == 'dead' then delay = cjson.null elseif target == 'delayed' then delay = math.max(0, run_at - now) end
  local key = attempts_key(job.id)
  local length = redis.call('RPUSH', key, cjson.encode({
    attempt = tonumber(job.attempts),
    leasedAt = job.attemptStartedAt and tonumber(job.attemptStartedAt) or cjson.null,
    endedAt = now,
    outcome = outcome,
    worker = job.worker or cjson.null,
    error = err,
    next = target,
    retryDelayMs = delay,
  }))
  if length > history_max then
    redis.call('LTRIM', key, length - history_max, -1)
    redis.call('HINCRBY', job_key(job.id), 'attemptsDropped', length - history_max)
  end
end

-- Applies core's target to an active job under `token` (with `lease_expired_only`, the reaper's
-- nack, only once the lease has run out). `target` is 'waiting', 'delayed' or 'dead'; `detail`
-- the placement ('front': just before the earliest waiting job of the job's queue and priority,
-- or now when that is earlier; 'back': just after the latest, or now when that is later), the
-- runAt (caller ms, moved by `shift`) or the dead reason. `error_head` (opt text) is the error's
-- JSON without `at`, and `error_at` its time (caller ms). A `failure` counts for the worker that
-- held the lease and in the queue's failed total; a `placement` counts in the job's nacks. The
-- ended attempt goes into the job's history (record_attempt). `rate-limited` is a placement to
-- delayed that gives the lease back: attempts goes down by one and the history is left as it was.
local function nack_job(id, token, kind, lease_expired_only, target, detail, error_head, error_at, now, shift)
  local job = load_job(id)
  local refusal = check_lease(job, token, now, lease_expired_only)
  if refusal then return refusal end
  local given_back = kind == 'rate-limited' and target == 'delayed'
  if kind == 'rate-limited' then kind = 'placement' end
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
  if given_back then
    changes.attempts = tonumber(job.attempts) - 1
  else
    record_attempt(job, kind, lease_expired_only, target, changes.runAt, head, now, ATTEMPT_HISTORY_MAX)
  end
  move(job, changes)
  if kind == 'failure' then
    count_for_worker(job.worker, 'failed')
    count_for_queue(job.queue, 'failedTotal', 1)
  end
  return { 'ok', job_reply(job) }
end
