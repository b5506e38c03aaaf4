/**
 * Backend time (StoreCapabilities.sharedClock): the store reads the database's clock `t` in each
 * operation and shifts every absolute time in the params by `t - p.now`, so `now` becomes `t`
 * and durations the engine computed (a delay, a lease length, a dedup window, a backoff) are kept
 * exactly. Each function here rebases one kind of params; the store picks one per operation.
 */
import type { JobEnqueueManyParams, JobNackParams, NackTarget, NewJob } from '@docket/core';

export type Rebase<P> = (p: P, dbNow: number) => P;

/** For params whose only absolute time is `now`. */
export function rebaseNow<P extends { readonly now: number }>(p: P, dbNow: number): P {
  return { ...p, now: dbNow };
}

const shift = (time: number | null, by: number): number | null => (time === null ? null : time + by);

export function rebaseEnqueue(p: JobEnqueueManyParams, dbNow: number): JobEnqueueManyParams {
  const by = dbNow - p.now;
  const jobs = p.jobs.map((job): NewJob => ({
    ...job,
    createdAt: job.createdAt + by,
    runAt: job.runAt + by,
    expiresAt: shift(job.expiresAt, by),
    dedupUntil: shift(job.dedupUntil, by),
  }));
  return { ...p, now: dbNow, jobs };
}

export function rebaseNack(p: JobNackParams, dbNow: number): JobNackParams {
  const by = dbNow - p.now;
  const target: NackTarget = p.target.state === 'delayed' ? { state: 'delayed', runAt: p.target.runAt + by } : p.target;
  return { ...p, now: dbNow, target };
}
