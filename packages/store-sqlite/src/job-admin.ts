/** Reading, cancelling, promoting, retrying and deleting single jobs by id. */
import { JobFinishedError, type Job } from '@docket/protocol';
import type { JobCancelParams, JobDeleteParams, JobGetParams, JobPromoteParams, JobRetryParams } from '@docket/core';
import { readJob } from './lease-check.ts';
import { rowToJob, type JobRow } from './row-mapping.ts';
import type { StoreContext } from './store-context.ts';

export function jobGet(ctx: StoreContext, p: JobGetParams): Job | null {
  const row = ctx.q.jobGetById.get({ id: p.id }) as JobRow | undefined;
  return row === undefined ? null : rowToJob(row);
}

/** Waiting, delayed or active → dead (`cancelled`); a finished job is refused. */
export function jobCancel(ctx: StoreContext, p: JobCancelParams): Job {
  const job = readJob(ctx, p.id);
  if (job.state === 'completed' || job.state === 'dead') throw new JobFinishedError(p.id, job.state);
  ctx.q.jobKill.run({ seq: job.seq, reason: 'cancelled', now: p.now });
  return { ...job, state: 'dead', deadReason: 'cancelled', finishedAt: p.now, leaseToken: null, leaseExpiresAt: null };
}

/** A delayed job → waiting now; null when missing or not delayed. */
export function jobPromote(ctx: StoreContext, p: JobPromoteParams): Job | null {
  const row = ctx.q.jobPromote.get({ id: p.id, now: p.now }) as JobRow | undefined;
  return row === undefined ? null : rowToJob(row);
}

/** A dead job → waiting now (a new life); null when missing or not dead. */
export function jobRetry(ctx: StoreContext, p: JobRetryParams): Job | null {
  const row = ctx.q.jobRetry.get({ id: p.id, now: p.now }) as JobRow | undefined;
  return row === undefined ? null : rowToJob(row);
}

export function jobDelete(ctx: StoreContext, p: JobDeleteParams): boolean {
  return ctx.q.jobDelete.run({ id: p.id }).changes > 0;
}
