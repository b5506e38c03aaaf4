/**
 * Lease: one script call (job-lease.lua) claims up to `max` jobs across the queues in waiting
 * order. Scripts run one at a time on the server, so two leases, from this store or from another
 * server over the same prefix, never claim the same job.
 */
import { InternalError, type LeasedJob } from '@docket/protocol';
import type { JobLeaseParams } from '@docket/core';
import { asLeasedJob, optInt, optText } from './job-fields.ts';
import { jobsReply } from './replies.ts';
import { runTimed, type StoreContext } from './store-context.ts';

export async function jobLease(ctx: StoreContext, p: JobLeaseParams): Promise<LeasedJob[]> {
  if (p.tokens.length < p.max) {
    throw new InternalError(`jobLease needs one token per job: got ${p.tokens.length} for max ${p.max}`);
  }
  const queues = [...new Set(p.queues)];
  const args = [
    String(p.max),
    optInt(p.leaseMs),
    optText(p.worker),
    String(queues.length),
    ...queues,
    ...p.tokens.slice(0, p.max),
  ];
  return jobsReply(await runTimed(ctx, 'job-lease', p.now, args)).map(asLeasedJob);
}
