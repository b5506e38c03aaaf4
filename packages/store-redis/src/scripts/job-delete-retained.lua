#!lua
-- job-delete-retained: deletes finished jobs of one queue past retention, at most `limit` in all:
-- completed jobs finished before completedBefore, then the oldest completed jobs beyond the newest
-- completedKeep (by finishedAt, then seq), then dead jobs finished before deadBefore. The bounds
-- are used as given (the port's params carry no `now` to rebase them by).
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  queue   ARGV[2]  completedBefore   ARGV[3]  completedKeep   ARGV[4]  deadBefore
-- ARGV[5]  limit
-- Returns  the number of jobs deleted
-- @include keys
-- @include codec
-- @include jobs

local queue = ARGV[1]
local limit = tonumber(ARGV[5])
local deleted = 0

local function delete_members(members)
  for _, member in ipairs(members) do
    remove_job(load_job(member_id(member, SORT_KEY_TIME)))
    deleted = deleted + 1
  end
end

local function finished_before(state, before)
  if deleted >= limit then return end
  local key = qkey(queue, state .. '-by-time')
  delete_members(redis.call('ZRANGEBYLEX', key, '-', '(' .. hex_time(before), 'LIMIT', 0, limit - deleted))
end

finished_before('completed', tonumber(ARGV[2]))
local beyond = redis.call('ZCARD', qkey(queue, 'completed-by-time')) - tonumber(ARGV[3])
local take = math.min(beyond, limit - deleted)
if take > 0 then delete_members(redis.call('ZRANGE', qkey(queue, 'completed-by-time'), 0, take - 1)) end
finished_before('dead', tonumber(ARGV[4]))
return deleted
