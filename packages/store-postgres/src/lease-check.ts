/**
 * The refusal order shared by ack, nack and extend:
 *   1. no such job                                   → JobNotFoundError
 *   2. dead because it expired                        → JobExpiredError
 *   3. not active, or active under another token      → LeaseMismatchError (nothing changes)
 *   4. active but past its expiresAt                  → dead (`expired`), committed, then JobExpiredError
 *   5. reaper only: the lease has not run out yet     → LeaseMismatchError
 * Step 4 is the one refusal that writes: expiry beats everything, and the job must not stay active.
 */
import { InternalError, JobExpiredError, JobNotFoundError, LeaseMismatchError, type Job } from '@docket/protocol';
import { rowToJob, type JobRow } from './row-mapping.ts';
import { CommitThenReject, type Session } from './session.ts';

export interface LeaseCheckParams {
  readonly id: string;
  readonly token: string;
  readonly now: number;
  readonly leaseExpiredOnly: boolean;
}

/** The job, row-locked until the transaction ends; JobNotFoundError when missing. */
export async function lockJob(s: Session, id: string): Promise<Job> {
  const [row] = await s.rows<JobRow>('job-lock-by-id', { id });
  if (row === undefined) throw new JobNotFoundError(id);
  return rowToJob(row);
}

/**
 * Inside a transaction holding the job's row lock: returns when the caller holds the job's
 * current, unexpired lease; throws otherwise (CommitThenReject after killing an expired job).
 */
export async function checkLease(s: Session, job: Job, p: LeaseCheckParams): Promise<void> {
  if (job.state === 'dead' && job.deadReason === 'expired') throw new JobExpiredError(p.id);
  if (job.state !== 'active' || job.leaseToken !== p.token) throw new LeaseMismatchError(p.id);
  if (job.expiresAt !== null && job.expiresAt <= p.now) {
    await s.count('job-kill-expired', p);
    throw new CommitThenReject(new JobExpiredError(p.id));
  }
  if (p.leaseExpiredOnly && job.leaseExpiresAt !== null && job.leaseExpiresAt > p.now) {
    throw new LeaseMismatchError(p.id, { leaseExpiredOnly: true, leaseExpiresAt: job.leaseExpiresAt });
  }
}

/**
 * For an autocommit fast path whose guarded update matched nothing: throws the refusal that
 * applies. Without a row lock the job may change between the read and the kill; the kill is
 * guarded by state and token, so when it matches nothing the job left that lease meanwhile and
 * the second read finds why (a token never becomes current again).
 */
export async function refuse(s: Session, p: LeaseCheckParams): Promise<never> {
  for (let read = 1; read <= 2; read += 1) {
    const [row] = await s.rows<JobRow>('job-get-by-id', { id: p.id });
    if (row === undefined) throw new JobNotFoundError(p.id);
    const job = rowToJob(row);
    if (job.state === 'dead' && job.deadReason === 'expired') throw new JobExpiredError(p.id);
    if (job.state !== 'active' || job.leaseToken !== p.token) throw new LeaseMismatchError(p.id);
    if (job.expiresAt === null || job.expiresAt > p.now) break;
    if ((await s.count('job-kill-expired', p)) === 1) throw new JobExpiredError(p.id);
  }
  throw new InternalError(`job ${p.id} passed the lease check after its guarded update matched nothing`);
}
