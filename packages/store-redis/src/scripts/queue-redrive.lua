#!lua
-- queue-redrive: dead jobs of a queue (all, or of one reason) go back to waiting, oldest finish
-- first, at most `limit`: attempts 0, runAt now, no expiry (a new life), deadReason and finishedAt
-- cleared, the last error kept. Walks dead-by-time in chunks, skipping other reasons.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'
-- ARGV[3]  queue             ARGV[4]  reason (opt text: null for any)   ARGV[5]  limit
-- Returns  the number of jobs redriven
-- @include keys
-- @include codec
-- @include clock
-- @include jobs

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local queue, reason, limit = ARGV[3], opt_text(ARGV[4]), tonumber(ARGV[5])
local key = qkey(queue, 'dead-by-time')
local CHUNK = 100
local moved, skipped = 0, 0
while moved < limit do
  local members = redis.call('ZRANGE', key, skipped, skipped + CHUNK - 1)
  if #members == 0 then break end
  for _, member in ipairs(members) do
    if moved >= limit then break end
    local job = load_job(member_id(member, SORT_KEY_TIME))
    if reason == nil or job.deadReason == reason then
      move(job, {
        state = 'waiting',
        attempts = 0,
        runAt = NOW,
        expiresAt = NULL,
        deadReason = NULL,
        finishedAt = NULL,
      })
      moved = moved + 1
    else
      skipped = skipped + 1
    end
  end
end
return moved
