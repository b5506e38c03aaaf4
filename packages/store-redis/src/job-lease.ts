/**
 * Lease: one script call (job-lease.lua) claims up to `max` jobs across the queues in waiting
 * order. Scripts run one at a time on the server, so two leases, from this store or from another
 * server over the same prefix, never claim the same job; for the same reason a queue's
 * concurrency and rate limits (checked and counted inside the script) hold across servers.
 */
import { InternalError } from '@docket/protocol';
import type { JobLeaseParams, LeaseResult } from '@docket/core';
import { leaseResult } from '@docket/core/store-support';
import { asLeasedJob, optInt, optText } from './job-fields.ts';
import { asArray, asNumber, jobsReply } from './replies.ts';
import { runTimed, type StoreContext } from './store-context.ts';

export async function jobLease(ctx: StoreContext, p: JobLeaseParams): Promise<LeaseResult> {
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
  const [jobs, throttle] = asArray(await runTimed(ctx, 'job-lease', p.now, args));
  const leased = jobsReply(jobs).map(asLeasedJob);
  if (throttle === '' || throttle === undefined) return leased;
  const ms = asNumber(throttle);
  return leaseResult(leased, { retryInMs: ms < 0 ? null : ms });
}
