/**
 * A job's attempt history as the stores write it: the entry a nack appends (`endedAttempt`) and
 * the bound (`appendAttempt`). SQLite builds entries here; the Redis script (settle.lua) and the
 * PostgreSQL statements (job-nack*.sql) build the same entry in the backend, and the conformance
 * suite holds all three to it.
 */
import { limits, type AttemptOutcome, type Job, type JobAttempt, type JobAttempts } from '@docket/protocol';
import type { JobNackParams } from '../store.ts';

export const EMPTY_ATTEMPTS: JobAttempts = { attempts: [], dropped: 0 };

/**
 * The history as SQLite and PostgreSQL keep it in the job's row, `{"attempts":[...],"dropped":n}`
 * as JSON text, or NULL before the first nack.
 */
export function parseAttemptLog(text: string | null): JobAttempts {
  return text === null ? EMPTY_ATTEMPTS : (JSON.parse(text) as JobAttempts);
}

/** How a nack ended the attempt: the reaper's is a lease expiry, a placement a release. */
export function attemptOutcome(p: Pick<JobNackParams, 'kind' | 'leaseExpiredOnly'>): AttemptOutcome {
  if (p.kind === 'placement') return 'released';
  return p.leaseExpiredOnly ? 'lease-expired' : 'failed';
}

/** The entry for `job`'s current attempt, ended at `p.now` by `p`, the job going to `next`. */
export function endedAttempt(job: Job, p: JobNackParams, next: Pick<Job, 'state' | 'runAt'>): JobAttempt {
  const state = next.state as JobAttempt['next'];
  return {
    attempt: job.attempts,
    leasedAt: job.attemptStartedAt,
    endedAt: p.now,
    outcome: attemptOutcome(p),
    worker: job.worker,
    error:
      p.error === null
        ? null
        : p.error.stack === undefined
          ? { message: p.error.message }
          : { message: p.error.message, stack: p.error.stack },
    next: state,
    retryDelayMs: state === 'dead' ? null : state === 'delayed' ? Math.max(0, next.runAt - p.now) : 0,
  };
}

/** The history with `entry` last, keeping the latest MAX_ATTEMPT_HISTORY entries. */
export function appendAttempt(history: JobAttempts, entry: JobAttempt): JobAttempts {
  const all = [...history.attempts, entry];
  const over = Math.max(0, all.length - limits.MAX_ATTEMPT_HISTORY);
  return { attempts: all.slice(over), dropped: history.dropped + over };
}
