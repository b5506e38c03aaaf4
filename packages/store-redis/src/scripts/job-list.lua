#!lua flags=no-writes
-- job-list: one page of a queue's jobs after a cursor. Waiting jobs in lease order and delayed
-- jobs by (runAt, seq) page by index member (ZRANGEBYLEX); the other states and the all-states
-- list page by seq (ZRANGEBYSCORE). A cursor names the last item's member or seq, so jobs deleted
-- or added between pages never make a page skip or repeat one.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  queue   ARGV[2]  state (opt text: null lists every state)   ARGV[3]  count to read
-- ARGV[4]  after: the cursor's member or seq (opt text: null starts at the beginning)
-- Returns  per job { member or seq, job fields }
-- @include keys
-- @include codec
-- @include jobs

local queue, state, count, after = ARGV[1], opt_text(ARGV[2]), tonumber(ARGV[3]), opt_text(ARGV[4])
local items = {}

if state == 'waiting' or state == 'delayed' then
  local prefix_len = SORT_KEY_TIME
  if state == 'waiting' then prefix_len = SORT_KEY_PRIORITY + SORT_KEY_TIME end
  local from = '-'
  if after then from = '(' .. after end
  for _, member in ipairs(redis.call('ZRANGEBYLEX', qkey(queue, state), from, '+', 'LIMIT', 0, count)) do
    items[#items + 1] = { member, job_reply(load_job(member_id(member, prefix_len))) }
  end
else
  local from = '-inf'
  if after then from = '(' .. after end
  local ids = redis.call('ZRANGEBYSCORE', qkey(queue, state or 'all'), from, '+inf', 'WITHSCORES', 'LIMIT', 0, count)
  for i = 1, #ids, 2 do items[#items + 1] = { ids[i + 1], job_reply(load_job(ids[i])) } end
end
return items
