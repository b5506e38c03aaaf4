#!lua flags=no-writes
-- queue-groups: a queue's groups with waiting or held jobs, the deepest first (then by name), at
-- most `limit`, without the ungrouped lane (''). One ZCARD pair per group the queue ever had (its
-- q:<queue>:gturn hash): O(groups of the queue).
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  queue                    ARGV[2]  limit
-- Returns  { group, waiting, held, ... } flat, in that order
-- @include keys

local queue, limit = ARGV[1], tonumber(ARGV[2])
local groups = {}
for _, group in ipairs(redis.call('HKEYS', qkey(queue, 'gturn'))) do
  if group ~= '' then
    local waiting = redis.call('ZCARD', qkey(queue, 'gw') .. '#' .. group)
    local held = redis.call('ZCARD', qkey(queue, 'gh') .. '#' .. group)
    if waiting > 0 or held > 0 then groups[#groups + 1] = { group = group, waiting = waiting, held = held } end
  end
end
table.sort(groups, function(a, b)
  if a.waiting ~= b.waiting then return a.waiting > b.waiting end
  return a.group < b.group
end)
local out = {}
for i = 1, math.min(limit, #groups) do
  out[#out + 1] = groups[i].group
  out[#out + 1] = groups[i].waiting
  out[#out + 1] = groups[i].held
end
return out
