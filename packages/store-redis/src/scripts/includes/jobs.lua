-- jobs: a job is the hash job:<id> (a null field is absent; values are text). Where it is indexed
-- follows from its fields alone, so `move` can take it out of the indexes of its old state and put
-- it into those of the new one:
--   waiting    q:<queue>:waiting  lex  priority(8) runAt(14) seq(14) id   (lease order)
--   delayed    q:<queue>:delayed  lex  runAt(14) seq(14) id, and the same member in `delayed`
--   active     q:<queue>:active   score seq, member id; `active` lex leaseExpiresAt(14) seq(14) id;
--              wactive:<worker>   set of ids, when the lease has a worker
--   completed  q:<queue>:completed score seq, member id; q:<queue>:completed-by-time lex
--   dead       (the same two for dead)                    finishedAt(14) seq(14) id
--   unfinished with expiresAt: `expiry` lex expiresAt(14) seq(14) id
--   every job  q:<queue>:all score seq, member id; q:<queue>:dedup maps a dedupKey to the job
--              whose window was set last
-- and a job with a `group` (docs/state-machine.md#groups; '' is a grouped queue's ungrouped lane):
--   waiting    q:<queue>:gw#<group>  lex  priority(8) seq(14) id   (group order)
--   held       q:<queue>:gh#<group>  score seq, member id: active, or delayed after a lease
--              (is_held)
--   ring       q:<queue>:groups      groups with waiting jobs, score = turn; a group's turn is kept
--              in q:<queue>:gturn (hash group -> turn), new turns come from the queue hash's
--              groupTurn counter. '#' is in neither queue names nor groups, so keys cannot collide.
local NULL = {}

local function load_job(id)
  local flat = redis.call('HGETALL', job_key(id))
  if #flat == 0 then return nil end
  local job = {}
  for i = 1, #flat, 2 do job[flat[i]] = flat[i + 1] end
  return job
end

-- A job as the reply carries it: field, value, field, value, ...
local function job_reply(job)
  local out = {}
  for field, value in pairs(job) do
    out[#out + 1] = field
    out[#out + 1] = value
  end
  return out
end

local function ref(job) return hex_seq(tonumber(job.seq)) .. job.id end

-- The id at the end of an index member whose sort key before the seq is `prefix_len` long.
local function member_id(member, prefix_len) return string.sub(member, prefix_len + SORT_KEY_SEQ + 1) end

local function waiting_member(job)
  return hex_priority(tonumber(job.priority)) .. hex_time(tonumber(job.runAt)) .. ref(job)
end

local function is_unfinished(state) return state == 'waiting' or state == 'delayed' or state == 'active' end

local function expiry_member(job)
  if job.expiresAt == nil or not is_unfinished(job.state) then return nil end
  return hex_time(tonumber(job.expiresAt)) .. ref(job)
end

local function group_key(queue, kind, group) return qkey(queue, kind) .. '#' .. group end

-- Delayed after a lease: a retry's backoff, a nack with delay, or a rate-limited give-back (which
-- takes attempts back down, to 0 after a first lease, but counts in delayedNacks).
local function is_held(job)
  if job.state == 'active' then return true end
  return job.state == 'delayed' and (tonumber(job.attempts) > 0 or tonumber(job.delayedNacks) > 0)
end

-- A group's turn in the ring: the one it had, or a new one at the back.
local function group_turn(queue, group)
  local turn = redis.call('HGET', qkey(queue, 'gturn'), group)
  if turn then return turn end
  turn = redis.call('HINCRBY', queue_key(queue), 'groupTurn', 1)
  redis.call('HSET', qkey(queue, 'gturn'), group, turn)
  return turn
end

-- A group a lease served goes to the back of the ring.
local function group_served(queue, group)
  local turn = redis.call('HINCRBY', queue_key(queue), 'groupTurn', 1)
  redis.call('HSET', qkey(queue, 'gturn'), group, turn)
  redis.call('ZADD', qkey(queue, 'groups'), 'XX', turn, group)
end

-- The group entries of a job with a group, added to `entries`.
local function group_entries(job, entries)
  local group = job.group
  if group == nil then return entries end
  if job.state == 'waiting' then
    entries[#entries + 1] = { group_key(job.queue, 'gw', group), 0, hex_priority(tonumber(job.priority)) .. ref(job) }
  elseif is_held(job) then
    entries[#entries + 1] = { group_key(job.queue, 'gh', group), job.seq, job.id }
  end
  return entries
end

-- The sorted-set entries of the job's state but its group's: { key, score, member } each.
local function plain_entries(job)
  local queue, state = job.queue, job.state
  if state == 'waiting' then return { { qkey(queue, 'waiting'), 0, waiting_member(job) } } end
  if state == 'delayed' then
    local member = hex_time(tonumber(job.runAt)) .. ref(job)
    return { { qkey(queue, 'delayed'), 0, member }, { DELAYED, 0, member } }
  end
  if state == 'active' then
    return {
      { qkey(queue, 'active'), job.seq, job.id },
      { ACTIVE, 0, hex_time(tonumber(job.leaseExpiresAt)) .. ref(job) },
    }
  end
  return {
    { qkey(queue, state), job.seq, job.id },
    { qkey(queue, state .. '-by-time'), 0, hex_time(tonumber(job.finishedAt)) .. ref(job) },
  }
end

-- The sorted-set entries of the job's state: { key, score, member } each.
local function state_entries(job) return group_entries(job, plain_entries(job)) end

local function unindex(job)
  for _, entry in ipairs(state_entries(job)) do redis.call('ZREM', entry[1], entry[3]) end
  if job.state == 'active' and job.worker then redis.call('SREM', worker_active_key(job.worker), job.id) end
  if job.group and job.state == 'waiting' and redis.call('EXISTS', group_key(job.queue, 'gw', job.group)) == 0 then
    redis.call('ZREM', qkey(job.queue, 'groups'), job.group)
  end
end

local function index(job)
  for _, entry in ipairs(state_entries(job)) do redis.call('ZADD', entry[1], entry[2], entry[3]) end
  if job.state == 'active' and job.worker then redis.call('SADD', worker_active_key(job.worker), job.id) end
  if job.group and job.state == 'waiting' then
    local ring = qkey(job.queue, 'groups')
    if not redis.call('ZSCORE', ring, job.group) then redis.call('ZADD', ring, group_turn(job.queue, job.group), job.group) end
  end
end

-- `maxBytes` (flow.lua): while the queue hash has `backlogBytes`, it is the total payload bytes
-- of the queue's waiting and delayed jobs (a JSON payload's text, a bytes payload's raw bytes:
-- `data` holds them in base64), kept by every enqueue, move and removal of a job.
local function in_backlog(job) return job.state == 'waiting' or job.state == 'delayed' end

local function payload_bytes(job)
  local n = #job.data
  if job.encoding ~= 'bytes' then return n end
  local padding = 0
  if string.sub(job.data, -2) == '==' then padding = 2 elseif string.sub(job.data, -1) == '=' then padding = 1 end
  return n / 4 * 3 - padding
end

-- Adds (sign 1) or takes (sign -1) the job's payload to or from its queue's backlogBytes, if kept.
local function count_bytes(job, sign)
  local key = queue_key(job.queue)
  if redis.call('HEXISTS', key, 'backlogBytes') == 1 then
    redis.call('HINCRBY', key, 'backlogBytes', sign * payload_bytes(job))
  end
end

-- Applies `changes` (field -> text or number, or NULL to clear) to the job, its hash and its indexes.
local function move(job, changes)
  local old_expiry = expiry_member(job)
  local was_backlog = in_backlog(job)
  unindex(job)
  local set, clear = {}, {}
  for field, value in pairs(changes) do
    if value == NULL then
      job[field] = nil
      clear[#clear + 1] = field
    else
      local text = value
      if type(value) == 'number' then text = int(value) end
      job[field] = text
      set[#set + 1] = field
      set[#set + 1] = text
    end
  end
  if #set > 0 then redis.call('HSET', job_key(job.id), unpack(set)) end
  if #clear > 0 then redis.call('HDEL', job_key(job.id), unpack(clear)) end
  index(job)
  if was_backlog ~= in_backlog(job) then count_bytes(job, was_backlog and -1 or 1) end
  local new_expiry = expiry_member(job)
  if old_expiry ~= new_expiry then
    if old_expiry then redis.call('ZREM', EXPIRY, old_expiry) end
    if new_expiry then redis.call('ZADD', EXPIRY, 0, new_expiry) end
  end
end

-- An unfinished job becomes dead with `reason`; its lease, if any, ends.
local function kill(job, reason, now)
  move(job, { state = 'dead', deadReason = reason, finishedAt = now, leaseToken = NULL, leaseExpiresAt = NULL })
end

-- Removes the job, its attempt history, its index entries and its dedup mapping.
local function remove_job(job)
  unindex(job)
  if in_backlog(job) then count_bytes(job, -1) end
  local expiry = expiry_member(job)
  if expiry then redis.call('ZREM', EXPIRY, expiry) end
  redis.call('ZREM', qkey(job.queue, 'all'), job.id)
  if job.dedupKey and redis.call('HGET', qkey(job.queue, 'dedup'), job.dedupKey) == job.id then
    redis.call('HDEL', qkey(job.queue, 'dedup'), job.dedupKey)
  end
  redis.call('DEL', job_key(job.id), attempts_key(job.id))
end
