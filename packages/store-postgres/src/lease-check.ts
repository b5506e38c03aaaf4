/**
 * The refusal order shared by ack, nack and extend, worked out after their guarded statement
 * matched nothing:
 *   1. no such job                                   → JobNotFoundError
 *   2. dead because it expired                        → JobExpiredError
 *   3. not active, or active under another token      → LeaseMismatchError (nothing changes)
 *   4. active but past its expiresAt                  → dead (`expired`), committed, then JobExpiredError
 *   5. reaper only: the lease has not run out yet     → LeaseMismatchError
 *   6. reaper only: another transaction held the row  → LeaseMismatchError (another reaper has it)
 * Step 4 is the one refusal that writes: expiry beats everything, and the job must not stay active.
 */
import { InternalError, JobExpiredError, JobNotFoundError, LeaseMismatchError } from '@docket/protocol';
import { rowToJob, type JobRow } from './row-mapping.ts';
import type { Session } from './session.ts';

export interface LeaseCheckParams {
  readonly id: string;
  readonly token: string;
  readonly now: number;
  readonly leaseExpiredOnly: boolean;
}

/**
 * Throws the refusal that applies. Runs as autocommit statements without a row lock, so the job
 * may change between the read and the kill of step 4; the kill is guarded by state and token, so
 * when it matches nothing the job left that lease meanwhile and the second read finds why (a
 * token never becomes current again).
 */
export async function refuse(s: Session, p: LeaseCheckParams): Promise<never> {
  for (let read = 1; read <= 2; read += 1) {
    const [row] = await s.rows<JobRow>('job-get-by-id', { id: p.id });
    if (row === undefined) throw new JobNotFoundError(p.id);
    const job = rowToJob(row);
    if (job.state === 'dead' && job.deadReason === 'expired') throw new JobExpiredError(p.id);
    if (job.state !== 'active' || job.leaseToken !== p.token) throw new LeaseMismatchError(p.id);
    if (job.expiresAt !== null && job.expiresAt <= p.now) {
      if ((await s.count('job-kill-expired', p)) === 1) throw new JobExpiredError(p.id);
      continue;
    }
    if (p.leaseExpiredOnly && job.leaseExpiresAt !== null && job.leaseExpiresAt > p.now) {
      throw new LeaseMismatchError(p.id, { leaseExpiredOnly: true, leaseExpiresAt: job.leaseExpiresAt });
    }
    if (p.leaseExpiredOnly) throw new LeaseMismatchError(p.id, { leaseExpiredOnly: true, rowBusy: true });
    break;
  }
  throw new InternalError(`job ${p.id} passed the lease check after its guarded update matched nothing`);
}
