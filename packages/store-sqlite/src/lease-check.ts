/**
 * The refusal order shared by ack, nack and extend, checked before anything changes:
 *   1. no such job                                   → JobNotFoundError
 *   2. dead because it expired                        → JobExpiredError
 *   3. not active, or active under another token      → LeaseMismatchError (nothing changes)
 *   4. active but past its expiresAt                  → dead (`expired`), committed, then JobExpiredError
 *   5. reaper only: the lease has not run out yet     → LeaseMismatchError
 * Step 4 is the one refusal that writes: expiry beats everything, and the job must not stay active.
 */
import { InternalError, JobExpiredError, JobNotFoundError, LeaseMismatchError, type Job } from '@docket/protocol';
import { CommitThenReject } from './commit-batcher.ts';
import { rowToJob, type JobRow } from './row-mapping.ts';
import type { StoreContext } from './store-context.ts';

export interface LeaseCheckParams {
  readonly id: string;
  readonly token: string;
  readonly now: number;
  readonly leaseExpiredOnly: boolean;
}

export function readJob(ctx: StoreContext, id: string): Job {
  return rowToJob(readJobRow(ctx, id));
}

export function readJobRow(ctx: StoreContext, id: string): JobRow {
  const row = ctx.q.jobGetById.get({ id }) as JobRow | undefined;
  if (row === undefined) throw new JobNotFoundError(id);
  return row;
}

/** Returns when the caller holds the job's current, unexpired lease; throws otherwise. */
export function checkLease(ctx: StoreContext, job: Job, p: LeaseCheckParams): void {
  if (job.state === 'dead' && job.deadReason === 'expired') throw new JobExpiredError(p.id);
  if (job.state !== 'active' || job.leaseToken !== p.token) throw new LeaseMismatchError(p.id);
  if (job.expiresAt !== null && job.expiresAt <= p.now) {
    ctx.q.jobKill.run({ seq: job.seq, reason: 'expired', now: p.now });
    throw new CommitThenReject(new JobExpiredError(p.id));
  }
  if (p.leaseExpiredOnly && job.leaseExpiresAt !== null && job.leaseExpiresAt > p.now) {
    throw new LeaseMismatchError(p.id, { leaseExpiresAt: job.leaseExpiresAt });
  }
}

/** For a fast path whose guarded update matched nothing: throws the refusal that applies. */
export function refuse(ctx: StoreContext, p: LeaseCheckParams): never {
  checkLease(ctx, readJob(ctx, p.id), p);
  throw new InternalError(`job ${p.id} passed the lease check after its guarded update matched nothing`);
}
