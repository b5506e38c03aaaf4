-- workers: a worker is the hash worker:<id> (queues JSON, startedAt, lastSeenAt, processed,
-- failed) plus its id in the `workers` sorted set (score 0, paged by id). Its active count is the
-- size of wactive:<id>, kept by the job indexes (jobs.lua), so it cannot drift from the jobs.

-- Records that worker `id` was seen at `now` consuming `queues_json` (a JSON array).
local function upsert_worker(id, queues_json, now)
  local key = worker_key(id)
  local last = redis.call('HGET', key, 'lastSeenAt')
  if last then
    redis.call('HSET', key, 'queues', queues_json, 'lastSeenAt', int(math.max(tonumber(last), now)))
  else
    redis.call('HSET', key, 'queues', queues_json, 'startedAt', int(now), 'lastSeenAt', int(now),
      'processed', '0', 'failed', '0')
    redis.call('ZADD', WORKERS, 0, id)
  end
end

-- A lease by worker `id` from `queues`: the worker is seen now and consumes these queues too
-- (the ones it had first, then the new ones in lease order).
local function record_lease(id, queues, now)
  local known = redis.call('HGET', worker_key(id), 'queues')
  local merged, seen = {}, {}
  local function add(queue)
    if not seen[queue] then
      seen[queue] = true
      merged[#merged + 1] = queue
    end
  end
  if known then for _, queue in ipairs(cjson.decode(known)) do add(queue) end end
  for _, queue in ipairs(queues) do add(queue) end
  -- cjson writes an empty table as {}, not []
  upsert_worker(id, #merged == 0 and '[]' or cjson.encode(merged), now)
end

-- Adds one to a worker's `processed` or `failed` count, if the worker is registered.
local function count_for_worker(id, field)
  if id and redis.call('EXISTS', worker_key(id)) == 1 then redis.call('HINCRBY', worker_key(id), field, 1) end
end
