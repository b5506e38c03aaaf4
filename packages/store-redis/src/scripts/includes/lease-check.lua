-- lease-check: the refusal order shared by ack, nack and extend, checked before anything changes:
--   1. no such job                                 -> { 'not-found' }
--   2. dead because it expired                      -> { 'expired' }
--   3. not active, or active under another token    -> { 'mismatch' } (nothing changes)
--   4. active but past its expiresAt                -> killed (`expired`), then { 'expired' }
--   5. reaper only: the lease has not run out yet   -> { 'mismatch', leaseExpiresAt }
-- Returns nil when the caller holds the job's current, unexpired lease.
local function check_lease(job, token, now, lease_expired_only)
  if job == nil then return { 'not-found' } end
  if job.state == 'dead' and job.deadReason == 'expired' then return { 'expired' } end
  if job.state ~= 'active' or job.leaseToken ~= token then return { 'mismatch' } end
  if job.expiresAt and tonumber(job.expiresAt) <= now then
    kill(job, 'expired', now)
    return { 'expired' }
  end
  if lease_expired_only and tonumber(job.leaseExpiresAt) > now then return { 'mismatch', job.leaseExpiresAt } end
  return nil
end
