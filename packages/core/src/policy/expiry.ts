/** Expiry: a job past its expiresAt leaves the queue as dead (`expired`). Pure. */
import type { Job } from '@docket/protocol';

export function isExpired(job: Pick<Job, 'expiresAt' | 'state'>, now: number): boolean {
  if (job.state === 'completed' || job.state === 'dead') return false;
  return job.expiresAt !== null && job.expiresAt <= now;
}

/** True when an active job's lease ran to its attempt deadline (`timeoutMs`) rather than a plain lease end. */
export function attemptTimedOut(job: Pick<Job, 'timeoutMs' | 'attemptStartedAt'>, now: number): boolean {
  return job.timeoutMs !== null && job.attemptStartedAt !== null && now >= job.attemptStartedAt + job.timeoutMs;
}
