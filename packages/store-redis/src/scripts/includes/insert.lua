-- insert_job: writes one new job from the 18 enqueue fields that start after ARGV[base] (the
-- order job-enqueue.lua documents), its times moved by `shift`, and indexes it: the job hash, the
-- queue's `all` set, its state's sets, the expiry set and its dedupKey. A job without a group in
-- a queue with group settings (`grouped`) goes into its ungrouped lane (group ''). Returns its seq.
-- Uses keys, codec and jobs.
local function insert_job(base, shift, grouped)
  local function field(n) return ARGV[base + n] end
  local function shifted(value)
    if value == nil then return nil end
    return value + shift
  end
  local id, queue, dedup_key = field(1), field(2), opt_text(field(15))
  local seq = redis.call('INCR', SEQ)
  local job = {
    id = id,
    queue = queue,
    name = opt_text(field(3)),
    state = field(4),
    encoding = field(5),
    data = field(6),
    priority = field(7),
    seq = int(seq),
    attempts = '0',
    maxAttempts = field(8),
    nacks = '0',
    delayedNacks = '0',
    createdAt = int(tonumber(field(9)) + shift),
    runAt = int(tonumber(field(10)) + shift),
    leaseMs = field(12),
    backoff = field(14),
    dedupKey = dedup_key,
    meta = field(17),
    group = opt_text(field(18)),
  }
  if job.group == nil and grouped then job.group = '' end
  local expires_at = shifted(opt_int(field(11)))
  if expires_at then job.expiresAt = int(expires_at) end
  local timeout_ms = opt_int(field(13))
  if timeout_ms then job.timeoutMs = int(timeout_ms) end
  local dedup_until = shifted(opt_int(field(16)))
  if dedup_until then job.dedupUntil = int(dedup_until) end
  redis.call('HSET', job_key(id), unpack(job_reply(job)))
  redis.call('ZADD', qkey(queue, 'all'), seq, id)
  index(job)
  if in_backlog(job) then count_bytes(job, 1) end
  local expiry = expiry_member(job)
  if expiry then redis.call('ZADD', EXPIRY, 0, expiry) end
  if dedup_key and dedup_until then redis.call('HSET', qkey(queue, 'dedup'), dedup_key, id) end
  return seq
end
