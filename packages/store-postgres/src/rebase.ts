/**
 * Backend time (StoreCapabilities.sharedClock): the store reads the database's clock `t` in each
 * operation and shifts every absolute time in the params by `t - p.now`, so `now` becomes `t`
 * and durations the engine computed (a delay, a lease length, a dedup window, a backoff) are kept
 * exactly. Each function here rebases one kind of params; the store picks one per operation.
 */
import type { JobEnqueueManyParams, JobNackManyParams, JobNackParams, NackTarget, NewJob } from '@docket/core';

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

const shiftTarget = (target: NackTarget, by: number): NackTarget =>
  target.state === 'delayed' ? { state: 'delayed', runAt: target.runAt + by } : target;

export function rebaseNack(p: JobNackParams, dbNow: number): JobNackParams {
  return { ...p, now: dbNow, target: shiftTarget(p.target, dbNow - p.now) };
}

export function rebaseNackMany(p: JobNackManyParams, dbNow: number): JobNackManyParams {
  const by = dbNow - p.now;
  return { now: dbNow, nacks: p.nacks.map((item) => ({ ...item, target: shiftTarget(item.target, by) })) };
}
