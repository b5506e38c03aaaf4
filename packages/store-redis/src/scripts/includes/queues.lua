-- queues: a queue is the hash queue:<name> (paused '0' or '1', config JSON, createdAt, and the
-- lifetime totals completedTotal and failedTotal, absent until counted) plus its name in the
-- `queues` sorted set (score 0, so queueList pages by name with ZRANGEBYLEX).
local function ensure_queue(queue, now)
  if redis.call('EXISTS', queue_key(queue)) == 1 then return end
  redis.call('HSET', queue_key(queue), 'paused', '0', 'config', '{}', 'createdAt', int(now))
  redis.call('ZADD', QUEUES, 0, queue)
end

-- A queue as the reply carries it: name, then its hash as field, value pairs.
local function queue_reply(queue)
  local reply = redis.call('HGETALL', queue_key(queue))
  table.insert(reply, 1, queue)
  return reply
end

-- Adds `n` to the queue's lifetime total `field` ('completedTotal' or 'failedTotal'), if the
-- queue exists (HINCRBY on a missing key would make a queue hash without createdAt).
local function count_for_queue(queue, field, n)
  if redis.call('EXISTS', queue_key(queue)) == 1 then redis.call('HINCRBY', queue_key(queue), field, n) end
end
