/**
 * lease: claim ready jobs from one or several queues, waiting up to `waitMs` for one to become
 * ready. Parks in LeaseWaiters between attempts (no store polling). If the caller aborts after
 * jobs were claimed, they go back to the front at once, so a vanished caller leases nothing.
 */
import type { LeasedJob } from '@docket/protocol';
import type { EngineCore } from '../engine-core.ts';
import type { LeaseOptions } from '../engine-api.ts';
import { newLeaseTokens } from '../ids.ts';
import { assertLeaseOptions, assertWorkerId } from '../validate.ts';

export async function leaseJobs(core: EngineCore, options: LeaseOptions): Promise<LeasedJob[]> {
  assertLeaseOptions(options);
  if (options.worker !== undefined) assertWorkerId(options.worker);
  const queues = [...new Set(options.queues)];
  const max = options.max ?? 1;
  const deadline = core.clock.now() + (options.waitMs ?? 0);
  for (;;) {
    if (options.signal?.aborted) return [];
    const snapshot = core.waiters.snapshot(queues);
    const now = core.clock.now();
    const jobs = await core.store.jobLease({
      queues,
      max,
      now,
      leaseMs: options.leaseMs ?? null,
      worker: options.worker ?? null,
      tokens: newLeaseTokens(max),
    });
    if (jobs.length > 0) return handOver(core, jobs, options.signal);
    const remaining = deadline - core.clock.now();
    if (remaining <= 0) return [];
    const outcome = await core.waiters.wait(snapshot, remaining, options.signal);
    if (outcome !== 'woken') return [];
  }
}

async function handOver(core: EngineCore, jobs: LeasedJob[], signal: AbortSignal | undefined): Promise<LeasedJob[]> {
  if (signal?.aborted) {
    await giveBack(core, jobs);
    return [];
  }
  let earliest = Infinity;
  for (const job of jobs) {
    core.events.emit('job:leased', { job });
    earliest = Math.min(earliest, job.leaseExpiresAt);
  }
  core.services.leased(earliest);
  return jobs;
}

async function giveBack(core: EngineCore, jobs: readonly LeasedJob[]): Promise<void> {
  const now = core.clock.now();
  await Promise.allSettled(
    jobs.map((job) =>
      core.store.jobNack({
        id: job.id,
        token: job.leaseToken,
        now,
        target: { state: 'waiting', placement: 'front' },
        kind: 'placement',
        error: null,
        leaseExpiredOnly: false,
      }),
    ),
  );
  const queues = new Map<string, number>();
  for (const job of jobs) queues.set(job.queue, (queues.get(job.queue) ?? 0) + 1);
  for (const [queue, count] of queues) core.ctx.wake(queue, count);
}
