/**
 * lease: claim ready jobs from one or several queues, waiting up to `waitMs` for one to become
 * ready. Parks in LeaseWaiters between attempts (no store polling); a lease that a queue's flow
 * control held back parks until its rate window opens or a slot frees (`throttleWaitMs`). If the caller aborts after
 * jobs were claimed, they go back to the front at once, so a vanished caller leases nothing.
 */
import type { LeasedJob } from '@docket/protocol';
import type { EngineCore } from '../engine-core.ts';
import type { LeaseOptions } from '../engine-api.ts';
import { newLeaseTokens } from '../ids.ts';
import type { LeaseThrottle } from '../store.ts';
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
    const throttled = jobs.throttle !== undefined;
    if (throttled) await watchLimitedQueues(core, queues, jobs.throttle);
    if (jobs.length > 0) return handOver(core, jobs, options.signal);
    const remaining = deadline - core.clock.now();
    if (remaining <= 0) return [];
    const pause = throttled ? Math.min(remaining, throttleWaitMs(jobs.throttle)) : remaining;
    const outcome = await core.waiters.wait(snapshot, pause, options.signal);
    if (outcome !== 'woken' && !(outcome === 'timeout' && throttled)) return [];
  }
}

/**
 * How long a throttled lease parks before asking again: until its rate window opens (plus 1 ms,
 * so it lands inside the next window), or at most CONCURRENCY_RECHECK_MS when a concurrency limit
 * holds: a slot opens with a wake from the job that leaves `active`, and the recheck covers a
 * wake lost between servers.
 */
function throttleWaitMs(throttle: LeaseThrottle | undefined): number {
  const retryInMs = throttle?.retryInMs ?? null;
  return retryInMs === null ? CONCURRENCY_RECHECK_MS : Math.max(1, retryInMs + 1);
}

const CONCURRENCY_RECHECK_MS = 1_000;

/**
 * Has `limit-wakes` wake the queues when their rate window opens, and loads their configs into
 * the cache so it knows to wake them when a concurrency slot opens.
 */
async function watchLimitedQueues(
  core: EngineCore,
  queues: readonly string[],
  throttle: LeaseThrottle | undefined,
): Promise<void> {
  const retryInMs = throttle?.retryInMs ?? null;
  if (retryInMs !== null) core.limitWakes.windowOpensIn(queues, retryInMs + 1);
  await Promise.all(queues.map((queue) => core.configs.get(queue)));
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
