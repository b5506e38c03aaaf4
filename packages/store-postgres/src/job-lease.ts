/**
 * Lease: claims up to `max` waiting jobs across several queues in waiting order, with one
 * statement (job-lease.sql: per-queue SKIP LOCKED seeks, merged, claimed, the worker recorded),
 * run as autocommit so row locks are held for that statement alone.
 */
import { InternalError, type LeasedJob } from '@docket/protocol';
import type { JobLeaseParams } from '@docket/core';
import { rowToLeasedJob, type JobRow } from './row-mapping.ts';
import type { Session } from './session.ts';

export async function jobLease(s: Session, p: JobLeaseParams): Promise<LeasedJob[]> {
  if (p.tokens.length < p.max) {
    throw new InternalError(`jobLease needs one token per job: got ${p.tokens.length} for max ${p.max}`);
  }
  const rows = await s.rows<JobRow>('job-lease', {
    queues: [...new Set(p.queues)],
    max: p.max,
    now: p.now,
    leaseMs: p.leaseMs,
    tokens: p.tokens,
    worker: p.worker,
  });
  return rows.map(rowToLeasedJob);
}
