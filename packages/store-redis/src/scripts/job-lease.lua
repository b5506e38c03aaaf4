#!lua
-- job-lease: claims up to `max` waiting jobs across queues in waiting order (priority desc, runAt,
-- seq), skipping paused queues and jobs whose expiresAt <= now. Each queue's waiting index is read
-- from its start, in chunks, until it yields `max` leasable jobs: O(log n + max) per queue unless
-- expired jobs wait at its head (the expiry sweep removes those). The per-queue heads are merged
-- by their sort keys and the first `max` claimed, in order, with the tokens in order. A queue with
-- `limited` (flow.lua) gives at most what its concurrency and rate window leave, and its claims
-- count in its window, all inside this script. A queue with `grouped` (group settings) gives its
-- jobs from its ring of groups instead: the groups with waiting jobs by turn, each with room under
-- groupConcurrency giving its head jobs in group order, interleaved round-robin; the groups served
-- then go to the back of the ring, and with groupRateLimit each group's window (q:<queue>:grate)
-- counts what it gave (jobs.lua keeps the ring and the group indexes).
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

local RING_CHUNK = 256
local RING_SCAN_MAX = 4096

-- The first `limit` leasable jobs of one group, in group order.
local function group_heads(queue, group, limit)
  local picked = {}
  local key = group_key(queue, 'gw', group)
  local start = 0
  while #picked < limit do
    local members = redis.call('ZRANGE', key, start, start + limit - 1)
    if #members == 0 then break end
    for _, member in ipairs(members) do
      local id = member_id(member, SORT_KEY_PRIORITY)
      local f = redis.call('HMGET', job_key(id), 'expiresAt', 'runAt')
      if (not f[1] or tonumber(f[1]) > NOW) and #picked < limit then
        picked[#picked + 1] = {
          id = id,
          queue = queue,
          group = group,
          priority = tonumber(string.sub(member, 1, SORT_KEY_PRIORITY), 16),
          run_at = tonumber(f[2]),
          seq = tonumber(string.sub(member, SORT_KEY_PRIORITY + 1, SORT_KEY_PRIORITY + SORT_KEY_SEQ), 16),
        }
      end
    end
    start = start + #members
  end
  return picked
end

-- A group's rate window now: its start and what it used, from q:<queue>:grate ('start used');
-- windows never go back (see RateWindow in core's flow-control.ts).
local function group_window(queue, group, per)
  local start = math.floor(NOW / per) * per
  local stored = redis.call('HGET', qkey(queue, 'grate'), group)
  if stored then
    local s, u = string.match(stored, '^(%-?%d+) (%d+)$')
    if tonumber(s) >= start then return tonumber(s), tonumber(u) end
  end
  return start, 0
end

-- What a grouped queue gives a lease of `limit`: its picks, the windows of its open groups, and a
-- throttle (nil; -1 when only concurrency-held groups have waiting jobs; the ms until the groups'
-- rate window opens when a rate-held one has; 0 when the ring was looked at up to RING_SCAN_MAX
-- in vain). `limits`: concurrency, rate_max, rate_per (nil when not set).
local function group_candidates(queue, limit, limits)
  local ring = qkey(queue, 'groups')
  local open = {}
  local windows = {}
  local start, scanned, exhausted = 0, 0, false
  local conc_held, rate_held = false, false
  while #open < limit and not exhausted and scanned < RING_SCAN_MAX do
    local members = redis.call('ZRANGE', ring, start, start + RING_CHUNK - 1)
    exhausted = #members < RING_CHUNK
    for _, group in ipairs(members) do
      scanned = scanned + 1
      local room = limit
      if group ~= '' then
        if limits.concurrency then
          room = math.max(0, limits.concurrency - redis.call('ZCARD', group_key(queue, 'gh', group)))
          if room == 0 then conc_held = true end
        end
        if limits.rate_per and room > 0 then
          local window_start, used = group_window(queue, group, limits.rate_per)
          windows[group] = { start = window_start, used = used }
          local left = math.max(0, limits.rate_max - used)
          if left == 0 then rate_held = true end
          room = math.min(room, left)
        end
      end
      if room > 0 then
        open[#open + 1] = { group = group, room = room }
        if #open == limit then break end
      end
    end
    start = start + #members
  end
  local per_group = limit
  if #open >= limit then per_group = 1 end
  local heads = {}
  for i, entry in ipairs(open) do heads[i] = group_heads(queue, entry.group, math.min(entry.room, per_group)) end
  local picked = {}
  local k = 1
  while #picked < limit do
    local any = false
    for _, group in ipairs(heads) do
      if group[k] and #picked < limit then
        any = true
        picked[#picked + 1] = group[k]
      end
    end
    if not any then break end
    k = k + 1
  end
  local throttle = nil
  if #picked == 0 then
    if not exhausted then
      throttle = 0
    elseif rate_held then
      throttle = math.floor(NOW / limits.rate_per) * limits.rate_per + limits.rate_per - NOW
    elseif conc_held then
      throttle = -1
    end
  end
  return picked, windows, throttle
end

-- Numeric comparison of sort keys (Lua's string `<` follows the server's locale).
local function before(a, b)
  if a.priority ~= b.priority then return a.priority < b.priority end
  if a.run_at ~= b.run_at then return a.run_at < b.run_at end
  return a.seq < b.seq
end

local candidates = {}
local limited = {}
local grouped = {}
local throttle = nil
if max > 0 then
  for _, queue in ipairs(queues) do
    local state = redis.call(
      'HMGET', queue_key(queue), 'paused', 'limited', 'grouped', 'groupConcurrency', 'groupRateMax', 'groupRatePerMs'
    )
    if state[1] == '0' then
      local limit = max
      if state[2] then
        local flow = queue_flow(queue, NOW)
        limited[#limited + 1] = { queue = queue, flow = flow }
        limit = flow_allowance(flow, max)
      end
      if limit > 0 then
        local picked = nil
        if state[3] then
          local limits = { concurrency = tonumber(state[4]), rate_max = tonumber(state[5]), rate_per = tonumber(state[6]) }
          local windows, held
          picked, windows, held = group_candidates(queue, limit, limits)
          grouped[#grouped + 1] = { queue = queue, windows = windows }
          throttle = earlier_throttle(throttle, held)
        else
          picked = heads(queue, limit)
        end
        for _, head in ipairs(picked) do candidates[#candidates + 1] = head end
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
for _, entry in ipairs(grouped) do
  -- The groups served count what they gave in their rate windows, and go to the back of the ring
  -- in the order of their last job in this lease.
  local queue = entry.queue
  local last, taken = {}, {}
  for i = 1, #leased do
    if candidates[i].queue == queue then
      local group = candidates[i].group
      last[group] = i
      taken[group] = (taken[group] or 0) + 1
    end
  end
  for group, n in pairs(taken) do
    local window = entry.windows[group]
    if window then redis.call('HSET', qkey(queue, 'grate'), group, int(window.start) .. ' ' .. int(window.used + n)) end
  end
  local order = {}
  for group, i in pairs(last) do order[#order + 1] = { group = group, i = i } end
  table.sort(order, function(a, b) return a.i < b.i end)
  for _, entry in ipairs(order) do group_served(queue, entry.group) end
end
for _, entry in ipairs(limited) do
  local claimed = 0
  for i = 1, #leased do
    if candidates[i].queue == entry.queue then claimed = claimed + 1 end
  end
  throttle = earlier_throttle(throttle, flow_settle(entry.queue, entry.flow, claimed, NOW))
end
return { leased, throttle and int(throttle) or '' }
