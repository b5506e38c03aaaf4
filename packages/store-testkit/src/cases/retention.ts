/**
 * jobDeleteRetained: completed jobs go by age (finishedAt < completedBefore) and by count (all
 * but the newest completedKeep, by finishedAt then seq), dead jobs by age; bounded by limit,
 * scoped to one queue, never touching unfinished jobs; results stay readable until deleted.
 */
import { describe, expect } from 'vitest';
import type { Job } from '@docket/protocol';
import type { JobDeleteRetainedParams, Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { delayedJob, freshTokens, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { complete, enqueue, enqueueOne, leaseOne, reject } from '../support/store-actions.ts';

/** Bounds that delete nothing; each case loosens one of them. */
const KEEP_ALL: JobDeleteRetainedParams = {
  queue: QUEUE,
  completedBefore: 0,
  completedKeep: 1_000_000,
  deadBefore: 0,
  limit: 1000,
};

async function completedAt(store: Store, finishedAts: readonly number[], queue = QUEUE): Promise<Job[]> {
  const done: Job[] = [];
  for (const at of finishedAts) done.push(await complete(store, await enqueueOne(store, newJob({ queue })), at));
  return done;
}

/** Whether each job still exists, in order. */
async function present(store: Store, jobs: readonly { readonly id: string }[]): Promise<boolean[]> {
  return Promise.all(jobs.map(async (job) => (await store.jobGet({ id: job.id })) !== null));
}

export function registerRetentionCases(ctx: CaseContext): void {
  describe('retention', () => {
    ctx.test('completed jobs finished before completedBefore are deleted and the rest keep their result', async () => {
      const store = ctx.store();
      const jobs = await completedAt(store, [T0 + 100, T0 + 200, T0 + 300]);
      expect((await store.jobGet({ id: jobs[0]?.id ?? '' }))?.result).toEqual({ done: jobs[0]?.id });
      expect(await store.jobDeleteRetained({ ...KEEP_ALL, completedBefore: T0 + 250 })).toBe(2);
      expect(await present(store, jobs)).toEqual([false, false, true]);
      expect(await store.jobGet({ id: jobs[2]?.id ?? '' })).toEqual(jobs[2]);
    });

    ctx.test('only the newest completedKeep completed jobs are kept', async () => {
      const store = ctx.store();
      const jobs = await completedAt(store, [T0 + 50, T0 + 10, T0 + 40, T0 + 20, T0 + 30]);
      expect(await store.jobDeleteRetained({ ...KEEP_ALL, completedKeep: 2 })).toBe(3);
      expect(await present(store, jobs)).toEqual([true, false, true, false, false]);
    });

    ctx.test('completed jobs finished in the same millisecond are kept by newest seq', async () => {
      const store = ctx.store();
      const jobs = [newJob(), newJob(), newJob()];
      await enqueue(store, jobs);
      const tokens = freshTokens(3);
      const leased = await store.jobLease({
        queues: [QUEUE],
        max: 3,
        now: T0 + 1,
        leaseMs: null,
        worker: null,
        tokens,
      });
      for (const job of leased) await store.jobAck({ id: job.id, token: job.leaseToken, now: T0 + 5, result: null });
      expect(await store.jobDeleteRetained({ ...KEEP_ALL, completedKeep: 1 })).toBe(2);
      expect(await present(store, jobs)).toEqual([false, false, true]);
    });

    ctx.test('dead jobs finished before deadBefore are deleted', async () => {
      const store = ctx.store();
      const old = await reject(store, await enqueueOne(store, newJob()), T0 + 100);
      const recent = await reject(store, await enqueueOne(store, newJob()), T0 + 300);
      expect(await store.jobDeleteRetained({ ...KEEP_ALL, deadBefore: T0 + 200 })).toBe(1);
      expect(await present(store, [old, recent])).toEqual([false, true]);
    });

    ctx.test('retention deletes at most limit jobs per call', async () => {
      const store = ctx.store();
      await completedAt(store, [T0 + 1, T0 + 2, T0 + 3]);
      await reject(store, await enqueueOne(store, newJob()), T0 + 4);
      await reject(store, await enqueueOne(store, newJob()), T0 + 5);
      const everything = { ...KEEP_ALL, completedBefore: T0 + 1000, deadBefore: T0 + 1000, limit: 2 };
      const counts: number[] = [];
      for (let i = 0; i < 4; i += 1) counts.push(await store.jobDeleteRetained(everything));
      expect(counts).toEqual([2, 2, 1, 0]);
    });

    ctx.test('retention never deletes waiting, delayed or active jobs', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const active = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const waiting = await enqueueOne(store, newJob());
      const delayed = await enqueueOne(store, delayedJob(T0 + 5000));
      const everything = { ...KEEP_ALL, completedBefore: T0 + 1e9, completedKeep: 0, deadBefore: T0 + 1e9 };
      expect(await store.jobDeleteRetained(everything)).toBe(0);
      expect(await present(store, [active, waiting, delayed])).toEqual([true, true, true]);
    });

    ctx.test('retention of one queue leaves other queues alone', async () => {
      const store = ctx.store();
      const mine = await completedAt(store, [T0 + 1]);
      const others = await completedAt(store, [T0 + 1], 'other');
      const everything = { ...KEEP_ALL, completedBefore: T0 + 1000, completedKeep: 0, deadBefore: T0 + 1000 };
      expect(await store.jobDeleteRetained(everything)).toBe(1);
      expect(await present(store, [...mine, ...others])).toEqual([false, true]);
    });
  });
}
