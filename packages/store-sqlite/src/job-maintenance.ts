/**
 * The store side of core's background services: promotion of due delayed jobs, expiry, the
 * lease-reaper's read, and retention. Each works in bounded batches (`limit`) on a partial index,
 * so a backlog costs several short commits rather than one long one.
 */
import type { Statement } from 'better-sqlite3';
import type { Job, LeasedJob } from '@docket/protocol';
import type {
  JobDeleteRetainedParams,
  JobExpireDueParams,
  JobLeaseExpiredParams,
  JobPromoteDueParams,
} from '@docket/core';
import { asLeasedJob, rowToJob, type JobRow } from './row-mapping.ts';
import type { StoreContext } from './store-context.ts';

/** RETURNING gives rows in no set order; callers get them in the order they were due. */
function byKeyThenSeq(key: (job: Job) => number): (a: Job, b: Job) => number {
  return (a, b) => key(a) - key(b) || a.seq - b.seq;
}

export function jobPromoteDue(ctx: StoreContext, p: JobPromoteDueParams): Job[] {
  const rows = ctx.q.jobPromoteDue.all({ now: p.now, limit: p.limit }) as JobRow[];
  return rows.map(rowToJob).sort(byKeyThenSeq((job) => job.runAt));
}

export function jobExpireDue(ctx: StoreContext, p: JobExpireDueParams): Job[] {
  const rows = ctx.q.jobExpireDue.all({ now: p.now, limit: p.limit }) as JobRow[];
  return rows.map(rowToJob).sort(byKeyThenSeq((job) => job.expiresAt ?? 0));
}

export function jobLeaseExpired(ctx: StoreContext, p: JobLeaseExpiredParams): LeasedJob[] {
  const rows = ctx.q.jobLeaseExpired.all({ now: p.now, limit: p.limit }) as JobRow[];
  return rows.map((row) => asLeasedJob(rowToJob(row)));
}

/** Old completed jobs, then completed jobs beyond the newest `completedKeep`, then old dead jobs. */
export function jobDeleteRetained(ctx: StoreContext, p: JobDeleteRetainedParams): number {
  const steps: readonly [Statement, Readonly<Record<string, string | number>>][] = [
    [ctx.q.jobDeleteCompletedBefore, { queue: p.queue, before: p.completedBefore }],
    [ctx.q.jobDeleteCompletedBeyond, { queue: p.queue, keep: p.completedKeep }],
    [ctx.q.jobDeleteDeadBefore, { queue: p.queue, before: p.deadBefore }],
  ];
  let deleted = 0;
  for (const [statement, params] of steps) {
    if (deleted >= p.limit) break;
    deleted += statement.run({ ...params, limit: p.limit - deleted }).changes;
  }
  return deleted;
}
