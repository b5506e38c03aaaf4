/**
 * Short forms of the store calls the cases repeat: enqueue, lease, and driving jobs to a state
 * (completed, dead). Each one asserts the step it depends on, so a case fails where the store
 * first misbehaves rather than on a later, confusing assertion.
 */
import { expect } from 'vitest';
import type { Job, LeasedJob } from '@docket/protocol';
import type { EnqueueResult, JobNackParams, NackTarget, NewJob, Store } from '@docket/core';
import { freshTokens, jobError, T0 } from './new-jobs.ts';

export async function enqueue(store: Store, jobs: readonly NewJob[], now = T0): Promise<EnqueueResult[]> {
  const results = await store.jobEnqueueMany({ jobs, now });
  expect(results).toHaveLength(jobs.length);
  return results;
}

/** Enqueues one job that must be new, and returns it. */
export async function enqueueOne(store: Store, job: NewJob, now = T0): Promise<Job> {
  const [result] = await enqueue(store, [job], now);
  if (result === undefined) throw new Error('enqueue returned no result');
  expect(result.created).toBe(true);
  return result.job;
}

export interface LeaseInput {
  readonly queues: readonly string[];
  readonly now: number;
  readonly max?: number;
  readonly leaseMs?: number | null;
  readonly worker?: string | null;
}

export async function lease(store: Store, input: LeaseInput): Promise<LeasedJob[]> {
  const max = input.max ?? 1;
  return store.jobLease({
    queues: input.queues,
    max,
    now: input.now,
    leaseMs: input.leaseMs ?? null,
    worker: input.worker ?? null,
    tokens: freshTokens(max),
  });
}

/** Leases exactly one job and returns it. */
export async function leaseOne(store: Store, input: LeaseInput): Promise<LeasedJob> {
  const leased = await lease(store, { ...input, max: 1 });
  const [job] = leased;
  if (job === undefined) throw new Error(`expected a job from ${input.queues.join(', ')} at ${input.now}`);
  return job;
}

/** Ids of the jobs a series of one-job leases hands out, until the queues are empty. */
export async function drainIds(store: Store, queues: readonly string[], now: number): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const leased = await lease(store, { queues, now });
    const [job] = leased;
    if (job === undefined) return ids;
    ids.push(job.id);
  }
}

/** Leases the one waiting job of `queue` (which must be `job`) and acks it at `finishedAt`. */
export async function complete(store: Store, job: Job, finishedAt: number): Promise<Job> {
  const leased = await leaseOne(store, { queues: [job.queue], now: finishedAt });
  expect(leased.id).toBe(job.id);
  return store.jobAck({ id: job.id, token: leased.leaseToken, now: finishedAt, result: { done: job.id } });
}

/** Leases the one waiting job of `queue` (which must be `job`) and nacks it dead as rejected at `now`. */
export async function reject(store: Store, job: Job, now: number): Promise<Job> {
  const leased = await leaseOne(store, { queues: [job.queue], now });
  expect(leased.id).toBe(job.id);
  return store.jobNack(
    nackParams(
      leased,
      now,
      { state: 'dead', reason: 'rejected' },
      {
        kind: 'failure',
        error: jobError('rejected by handler', now, leased.attempts),
      },
    ),
  );
}

/** Nack parameters for `job` under its current token: a placement nack without error unless overridden. */
export function nackParams(
  job: LeasedJob,
  now: number,
  target: NackTarget,
  extra: Partial<Pick<JobNackParams, 'kind' | 'error' | 'leaseExpiredOnly' | 'token'>> = {},
): JobNackParams {
  return {
    id: job.id,
    token: job.leaseToken,
    now,
    target,
    kind: 'placement',
    error: null,
    leaseExpiredOnly: false,
    ...extra,
  };
}
