/**
 * The store side of core's background services: promotion of due delayed jobs, expiry, the
 * lease-reaper's read, and retention. Each is one script over a deployment-wide due-time index,
 * bounded by `limit`. Several servers may run them at once: a script moves a job out of the index
 * it was found in, atomically, so a second run never finds it again (no double promotion,
 * expiry or deletion), and the reaper's nack is fenced by the lease token.
 */
import type { Job, LeasedJob } from '@docket/protocol';
import type {
  JobDeleteRetainedParams,
  JobExpireDueParams,
  JobLeaseExpiredParams,
  JobPromoteDueParams,
} from '@docket/core';
import { asLeasedJob } from './job-fields.ts';
import { asNumber, jobsReply } from './replies.ts';
import { run, runTimed, type StoreContext } from './store-context.ts';

export async function jobPromoteDue(ctx: StoreContext, p: JobPromoteDueParams): Promise<Job[]> {
  return jobsReply(await runTimed(ctx, 'job-promote-due', p.now, [String(p.limit)]));
}

export async function jobExpireDue(ctx: StoreContext, p: JobExpireDueParams): Promise<Job[]> {
  return jobsReply(await runTimed(ctx, 'job-expire-due', p.now, [String(p.limit)]));
}

export async function jobLeaseExpired(ctx: StoreContext, p: JobLeaseExpiredParams): Promise<LeasedJob[]> {
  return jobsReply(await runTimed(ctx, 'job-lease-expired', p.now, [String(p.limit)])).map(asLeasedJob);
}

/** Old completed jobs, then completed jobs beyond the newest `completedKeep`, then old dead jobs. */
export async function jobDeleteRetained(ctx: StoreContext, p: JobDeleteRetainedParams): Promise<number> {
  const args = [p.queue, p.completedBefore, p.completedKeep, p.deadBefore, p.limit].map(String);
  return asNumber(await run(ctx, 'job-delete-retained', args));
}
