-- schedules: a schedule is the hash schedule:<name> (spec JSON as given, paused '0'/'1',
-- nextFireAt and lastFireAt absent when null, fires, version, createdAt, updatedAt), its name in
-- the `schedules` sorted set (score 0, so lists page by name with ZRANGEBYLEX), and, while it is
-- not paused and has a next fire, its name in `schedule-due` scored by nextFireAt.
local SCHEDULES = BASE .. ':schedules'
local SCHEDULE_DUE = BASE .. ':schedule-due'

local function schedule_key(name) return BASE .. ':schedule:' .. name end

-- A schedule as the reply carries it: name, then its hash as field, value pairs (empty if none).
local function schedule_reply(name)
  local reply = redis.call('HGETALL', schedule_key(name))
  if #reply == 0 then return {} end
  table.insert(reply, 1, name)
  return reply
end

-- Puts the schedule's name in `schedule-due`, or takes it out, as its hash now says.
local function index_schedule(name)
  local key = schedule_key(name)
  local paused, next_fire = unpack(redis.call('HMGET', key, 'paused', 'nextFireAt'))
  if paused == '0' and next_fire then
    redis.call('ZADD', SCHEDULE_DUE, tonumber(next_fire), name)
  else
    redis.call('ZREM', SCHEDULE_DUE, name)
  end
end
