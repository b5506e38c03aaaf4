#!lua
-- job-lease: claims up to `max` waiting jobs across queues in waiting order (priority desc, runAt,
-- seq), skipping paused queues and jobs whose expiresAt <= now. Each queue's waiting index is read
-- from its start, in chunks, until it yields `max` leasable jobs: O(log n + max) per queue unless
-- expired jobs wait at its head (the expiry sweep removes those). The per-queue heads are merged
-- by their sort keys and the first `max` claimed, in order, with the tokens in order. A queue with
-- `limited` (flow.lua) gives at most what its concurrency and rate window leave, and its claims
-- count in its window, all inside this script.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)          ARGV[2]  time mode: 'backend' or 'caller'
-- ARGV[3]  max                      ARGV[4]  leaseMs (opt int: null takes each job's leaseMs)
-- ARGV[5]  worker (opt text)        ARGV[6]  queue count q, then q distinct queue names,
--          then max lease tokens
-- Returns  { the leased jobs' fields, in waiting order; throttle } with throttle '' (none), -1
--          (a concurrency limit is full) or the ms until a used-up rate window opens
-- @include keys
-- @include codec
-- @include clock
-- @include jobs
-- @include workers
-- @include flow

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local max = tonumber(ARGV[3])
local lease_ms = opt_int(ARGV[4])
local worker = opt_text(ARGV[5])
local queue_count = tonumber(ARGV[6])
local queues, tokens = {}, {}
for i = 1, queue_count do queues[i] = ARGV[6 + i] end
for i = 1, max do tokens[i] = ARGV[6 + queue_count + i] end

-- The first `limit` leasable members of one queue's waiting index.
local function heads(queue, limit)
  local picked = {}
  local key = qkey(queue, 'waiting')
  local start = 0
  while #picked < limit do
    local members = redis.call('ZRANGE', key, start, start + limit - 1)
    if #members == 0 then break end
    for _, member in ipairs(members) do
      local id = member_id(member, SORT_KEY_PRIORITY + SORT_KEY_TIME)
      local expires_at = redis.call('HGET', job_key(id), 'expiresAt')
      if (not expires_at or tonumber(expires_at) > NOW) and #picked < limit then
        picked[#picked + 1] = {
          id = id,
          queue = queue,
          priority = tonumber(string.sub(member, 1, SORT_KEY_PRIORITY), 16),
          run_at = tonumber(string.sub(member, SORT_KEY_PRIORITY + 1, SORT_KEY_PRIORITY + SORT_KEY_TIME), 16),
          seq = tonumber(string.sub(member, SORT_KEY_PRIORITY + SORT_KEY_TIME + 1, SORT_KEY_PRIORITY + SORT_KEY_TIME + SORT_KEY_SEQ), 16),
        }
      end
    end
    start = start + #members
  end
  return picked
end

-- Numeric comparison of sort keys (Lua's string `<` follows the server's locale).
local function before(a, b)
  if a.priority ~= b.priority then return a.priority < b.priority end
  if a.run_at ~= b.run_at then return a.run_at < b.run_at end
  return a.seq < b.seq
end

local candidates = {}
local limited = {}
if max > 0 then
  for _, queue in ipairs(queues) do
    local state = redis.call('HMGET', queue_key(queue), 'paused', 'limited')
    if state[1] == '0' then
      local limit = max
      if state[2] then
        local flow = queue_flow(queue, NOW)
        limited[#limited + 1] = { queue = queue, flow = flow }
        limit = flow_allowance(flow, max)
      end
      if limit > 0 then
        for _, head in ipairs(heads(queue, limit)) do candidates[#candidates + 1] = head end
      end
    end
  end
  if queue_count > 1 then table.sort(candidates, before) end
end

local leased = {}
for i = 1, math.min(max, #candidates) do
  local job = load_job(candidates[i].id)
  local duration = lease_ms or tonumber(job.leaseMs)
  if job.timeoutMs then duration = math.min(duration, tonumber(job.timeoutMs)) end
  move(job, {
    state = 'active',
    attempts = tonumber(job.attempts) + 1,
    leaseToken = tokens[i],
    leaseExpiresAt = NOW + duration,
    attemptStartedAt = NOW,
    startedAt = job.startedAt or NOW,
    worker = worker or NULL,
  })
  leased[i] = job_reply(job)
end
if worker then record_lease(worker, queues, NOW) end
local throttle = nil
for _, entry in ipairs(limited) do
  local claimed = 0
  for i = 1, #leased do
    if candidates[i].queue == entry.queue then claimed = claimed + 1 end
  end
  throttle = earlier_throttle(throttle, flow_settle(entry.queue, entry.flow, claimed, NOW))
end
return { leased, throttle and int(throttle) or '' }
