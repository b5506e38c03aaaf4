/**
 * jobPromoteDue: only due delayed jobs (runAt <= now) become waiting, in bounded batches, and a
 * promoted job keeps runAt as its ready time, so it is not overtaken by jobs that became ready
 * after it. jobPromote (an operator's promote now) moves one delayed job, and only a delayed one.
 */
import { describe, expect } from 'vitest';
import type { CaseContext } from '../case-registry.ts';
import { delayedJob, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { drainIds, enqueue, enqueueOne } from '../support/store-actions.ts';

export function registerDelayCases(ctx: CaseContext): void {
  describe('delays', () => {
    ctx.test('promotion moves only due delayed jobs to waiting', async () => {
      const store = ctx.store();
      const jobs = [delayedJob(T0 + 100), delayedJob(T0 + 200), delayedJob(T0 + 300)];
      await enqueue(store, jobs);
      const [early, due, later] = jobs;
      const promoted = await store.jobPromoteDue({ now: T0 + 200, limit: 10 });
      expect(promoted.map((j) => j.id).sort()).toEqual([early?.id, due?.id].sort());
      for (const job of promoted) expect(job.state).toBe('waiting');
      expect((await store.jobGet({ id: later?.id ?? '' }))?.state).toBe('delayed');
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ waiting: 2, delayed: 1 });
    });

    ctx.test('promotion leaves runAt as it was', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, delayedJob(T0 + 100));
      const [promoted] = await store.jobPromoteDue({ now: T0 + 900, limit: 10 });
      expect(promoted).toMatchObject({ id: job.id, state: 'waiting', runAt: T0 + 100 });
      expect(await store.jobGet({ id: job.id })).toEqual(promoted);
    });

    ctx.test('jobPromote moves one delayed job to waiting now, and nothing else', async () => {
      const store = ctx.store();
      const [target, other] = [delayedJob(T0 + 60_000), delayedJob(T0 + 60_000)];
      await enqueue(store, [target, other]);
      const waiting = await enqueueOne(store, newJob());
      const promoted = await store.jobPromote({ id: target?.id ?? '', now: T0 + 10 });
      expect(promoted).toMatchObject({ id: target?.id, state: 'waiting', runAt: T0 + 10 });
      expect(await store.jobGet({ id: target?.id ?? '' })).toEqual(promoted);
      expect((await store.jobGet({ id: other?.id ?? '' }))?.state).toBe('delayed');
      expect(await store.jobPromote({ id: waiting.id, now: T0 + 20 })).toBeNull();
      expect(await store.jobGet({ id: waiting.id })).toEqual(waiting);
      expect(await store.jobPromote({ id: 'no-such-job', now: T0 + 20 })).toBeNull();
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ waiting: 2, delayed: 1 });
    });

    ctx.test('promotion moves at most limit jobs per call', async () => {
      const store = ctx.store();
      await enqueue(store, [delayedJob(T0 + 1), delayedJob(T0 + 2), delayedJob(T0 + 3)]);
      expect(await store.jobPromoteDue({ now: T0 + 10, limit: 2 })).toHaveLength(2);
      expect(await store.jobPromoteDue({ now: T0 + 10, limit: 2 })).toHaveLength(1);
      expect(await store.jobPromoteDue({ now: T0 + 10, limit: 2 })).toEqual([]);
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ waiting: 3, delayed: 0 });
    });

    ctx.test('a promoted job is leased before a job that became ready after its due time', async () => {
      const store = ctx.store();
      const delayed = await enqueueOne(store, delayedJob(T0 + 1000));
      const waiting = await enqueueOne(store, newJob({ createdAt: T0 + 1500, runAt: T0 + 1500 }), T0 + 1500);
      await store.jobPromoteDue({ now: T0 + 2000, limit: 10 });
      expect(await drainIds(store, [QUEUE], T0 + 2000)).toEqual([delayed.id, waiting.id]);
    });

    ctx.test('a promoted job still yields to higher priority', async () => {
      const store = ctx.store();
      const delayed = await enqueueOne(store, delayedJob(T0 + 10));
      const urgent = await enqueueOne(store, newJob({ priority: 3, createdAt: T0 + 50, runAt: T0 + 50 }), T0 + 50);
      await store.jobPromoteDue({ now: T0 + 60, limit: 10 });
      expect(await drainIds(store, [QUEUE], T0 + 60)).toEqual([urgent.id, delayed.id]);
    });
  });
}
