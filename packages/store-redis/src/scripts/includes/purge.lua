-- purge: deletes every job in one per-queue index, a chunk at a time from its start (each removal
-- takes the job out of the index, so the start moves on).
local PURGE_CHUNK = 1000

-- Index name -> length of the sort key before the seq in its members; nil for seq-scored indexes
-- whose members are job ids.
local LEX_PREFIX = { waiting = SORT_KEY_PRIORITY + SORT_KEY_TIME, delayed = SORT_KEY_TIME }

local function purge_index(queue, index_name)
  local key = qkey(queue, index_name)
  local prefix_len = LEX_PREFIX[index_name]
  local deleted = 0
  while true do
    local members = redis.call('ZRANGE', key, 0, PURGE_CHUNK - 1)
    if #members == 0 then return deleted end
    for _, member in ipairs(members) do
      local id = member
      if prefix_len then id = member_id(member, prefix_len) end
      remove_job(load_job(id))
      deleted = deleted + 1
    end
  end
end
