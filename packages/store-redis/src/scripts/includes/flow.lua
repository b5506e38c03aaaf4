-- flow: flow control of a queue, kept in its hash beside the config by queue-configure, so a
-- lease reads it without decoding JSON: `limited` ('1' when concurrency or a rate limit is set),
-- `concurrency`, `rateMax`, `ratePerMs`, `maxWaiting`, `maxBytes` (its running total,
-- `backlogBytes`, is jobs.lua's); and the rate window of the last lease,
-- `rateStart` (a multiple of ratePerMs) and `rateUsed` (leases granted in it); `grouped` ('1'
-- with group settings: the lease takes its jobs by group, see job-lease.lua), `groupConcurrency`,
-- `groupRateMax`, `groupRatePerMs`, and each group's window in q:<queue>:grate (group -> 'start
-- used'). Windows are fixed:
-- [k·ratePerMs, (k+1)·ratePerMs) of the script's NOW. A queue without `limited` costs a lease
-- one HMGET field more.

-- The limits of a queue with `limited`, with the active count and the current window's use.
local function queue_flow(queue, now)
  local f = redis.call('HMGET', queue_key(queue), 'concurrency', 'rateMax', 'ratePerMs', 'rateStart', 'rateUsed')
  local flow = { concurrency = tonumber(f[1]), rate_max = tonumber(f[2]), rate_per = tonumber(f[3]), active = 0 }
  if flow.concurrency then flow.active = redis.call('ZCARD', qkey(queue, 'active')) end
  if flow.rate_per then
    flow.window = math.floor(now / flow.rate_per) * flow.rate_per
    flow.used = 0
    -- Windows never go back (see RateWindow in core's flow-control.ts).
    local stored = tonumber(f[4])
    if stored and stored >= flow.window then flow.window, flow.used = stored, tonumber(f[5]) end
  end
  return flow
end

-- How many jobs a lease of `max` may claim from the queue now.
local function flow_allowance(flow, max)
  local allowed = max
  if flow.concurrency then allowed = math.min(allowed, flow.concurrency - flow.active) end
  if flow.rate_per then allowed = math.min(allowed, flow.rate_max - flow.used) end
  return math.max(0, allowed)
end

-- Counts `claimed` jobs in the window; returns the queue's throttle after the claim: nil (open),
-- -1 (a concurrency limit is full: no known time) or ms until the rate window opens.
local function flow_settle(queue, flow, claimed, now)
  if flow.rate_per and claimed > 0 then
    redis.call('HSET', queue_key(queue), 'rateStart', int(flow.window), 'rateUsed', int(flow.used + claimed))
  end
  if flow.rate_per and flow.used + claimed >= flow.rate_max then return flow.window + flow.rate_per - now end
  if flow.concurrency and flow.active + claimed >= flow.concurrency then return -1 end
  return nil
end

-- The earlier of two throttles (nil open, -1 unknown, else ms): a known time beats an unknown one.
local function earlier_throttle(a, b)
  if a == nil or a == -1 then return b or a end
  if b == nil or b == -1 then return a end
  return math.min(a, b)
end

-- Writes the limit fields of `config` (a decoded QueueConfig) into the queue's hash.
local function store_flow(queue, config)
  local rate = type(config.rateLimit) == 'table' and config.rateLimit or {}
  local fields = {
    concurrency = config.concurrency,
    rateMax = rate.max,
    ratePerMs = rate.perMs,
    maxWaiting = config.maxWaiting,
    maxBytes = config.maxBytes,
    groupConcurrency = config.groupConcurrency,
  }
  local group_rate = type(config.groupRateLimit) == 'table' and config.groupRateLimit or {}
  fields.groupRateMax = group_rate.max
  fields.groupRatePerMs = group_rate.perMs
  if fields.groupConcurrency or fields.groupRateMax then fields.grouped = 1 end
  if fields.concurrency or fields.rateMax then fields.limited = 1 end
  local names = { 'limited', 'concurrency', 'rateMax', 'ratePerMs', 'maxWaiting', 'maxBytes' }
  for _, name in ipairs({ 'grouped', 'groupConcurrency', 'groupRateMax', 'groupRatePerMs' }) do names[#names + 1] = name end
  for _, name in ipairs(names) do
    if type(fields[name]) == 'number' then
      redis.call('HSET', queue_key(queue), name, int(fields[name]))
    else
      redis.call('HDEL', queue_key(queue), name)
    end
  end
end
