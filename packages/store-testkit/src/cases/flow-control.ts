/**
 * Flow control at the Store port: `concurrency` and `rateLimit` bound what jobLease claims (fixed
 * windows of the store's time), `maxWaiting` refuses a whole enqueue batch with QueueFullError and
 * writes nothing, and racing calls on one store never pass a limit. A queue without limits is
 * leased as before and its answer carries no throttle.
 */
import { describe, expect } from 'vitest';
import { QueueFullError, type LeasedJob, type QueueConfig } from '@docket/protocol';
import type { LeaseResult, Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { delayedJob, freshTokens, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { enqueue } from '../support/store-actions.ts';

function leaseAt(store: Store, now: number, max: number, queues: readonly string[] = [QUEUE]): Promise<LeaseResult> {
  return store.jobLease({ queues, max, now, leaseMs: null, worker: null, tokens: freshTokens(max) });
}

async function configured(store: Store, config: QueueConfig, jobs = 0, queue = QUEUE): Promise<void> {
  await store.queueConfigure({ queue, config, now: T0 });
  if (jobs > 0)
    await enqueue(
      store,
      Array.from({ length: jobs }, () => newJob({ queue })),
    );
}

const ack = (store: Store, job: LeasedJob, now: number) =>
  store.jobAck({ id: job.id, token: job.leaseToken, now, result: null });

export function registerFlowControlCases(ctx: CaseContext): void {
  describe('flow control', () => {
    ctx.test('a queue without limits leases as before and says nothing of a throttle', async () => {
      const store = ctx.store();
      await configured(store, { leaseMs: 1_000 }, 3);
      const leased = await leaseAt(store, T0 + 1, 3);
      expect(leased).toHaveLength(3);
      expect(leased.throttle).toBeUndefined();
    });

    ctx.test('concurrency caps the active jobs of a queue and a settled job frees its slot', async () => {
      const store = ctx.store();
      await configured(store, { concurrency: 2 }, 5);
      const first = await leaseAt(store, T0 + 1, 5);
      expect(first).toHaveLength(2);
      expect(first.throttle).toEqual({ retryInMs: null });
      expect(await leaseAt(store, T0 + 2, 5)).toHaveLength(0);
      const [a, b] = first as [LeasedJob, LeasedJob];
      await ack(store, a, T0 + 3);
      const second = await leaseAt(store, T0 + 4, 5);
      expect(second).toHaveLength(1);
      await store.jobNack({
        id: b.id,
        token: b.leaseToken,
        now: T0 + 5,
        target: { state: 'waiting', placement: 'back' },
        kind: 'placement',
        error: null,
        leaseExpiredOnly: false,
      });
      expect(await leaseAt(store, T0 + 6, 5)).toHaveLength(1);
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ active: 2, waiting: 2, completed: 1 });
    });

    ctx.test('a multi-queue lease takes from a limited queue only what its limit leaves', async () => {
      const store = ctx.store();
      await configured(store, { concurrency: 1 }, 3, 'limited');
      await configured(store, {}, 3, 'free');
      const leased = await leaseAt(store, T0 + 1, 4, ['limited', 'free']);
      expect(leased.map((j) => j.queue).sort()).toEqual(['free', 'free', 'free', 'limited']);
    });

    ctx.test('a rate limit grants at most max leases per fixed window and says when the next opens', async () => {
      const store = ctx.store();
      await configured(store, { rateLimit: { max: 3, perMs: 1_000 } }, 10);
      const first = await leaseAt(store, T0 + 10, 2);
      expect(first).toHaveLength(2);
      const second = await leaseAt(store, T0 + 20, 5);
      expect(second).toHaveLength(1);
      expect(second.throttle).toEqual({ retryInMs: 980 });
      for (const job of [...first, ...second]) await ack(store, job, T0 + 30);
      const refused = await leaseAt(store, T0 + 999, 5);
      expect(refused).toHaveLength(0);
      expect(refused.throttle).toEqual({ retryInMs: 1 });
      expect(await leaseAt(store, T0 + 1_000, 5)).toHaveLength(3);
      expect(await leaseAt(store, T0 + 2_500, 5)).toHaveLength(3);
      expect(await leaseAt(store, T0 + 2_600, 5)).toHaveLength(0);
    });

    ctx.test('a rate limit and a concurrency limit together give the smaller allowance', async () => {
      const store = ctx.store();
      await configured(store, { concurrency: 2, rateLimit: { max: 3, perMs: 1_000 } }, 6);
      const first = await leaseAt(store, T0 + 1, 5);
      expect(first).toHaveLength(2);
      for (const job of first) await ack(store, job, T0 + 2);
      const second = await leaseAt(store, T0 + 3, 5);
      expect(second).toHaveLength(1);
      expect(second.throttle?.retryInMs).toBe(997);
    });

    ctx.test('a lease that finds nothing ready does not use up the rate window', async () => {
      const store = ctx.store();
      await configured(store, { rateLimit: { max: 2, perMs: 1_000 } });
      expect(await leaseAt(store, T0 + 1, 2)).toHaveLength(0);
      await enqueue(store, [newJob(), newJob(), newJob()], T0 + 2);
      expect(await leaseAt(store, T0 + 3, 5)).toHaveLength(2);
    });

    ctx.test('a queue deleted and made again starts with an empty rate window', async () => {
      const store = ctx.store();
      const config = { rateLimit: { max: 1, perMs: 10_000 } };
      await configured(store, config, 2);
      expect(await leaseAt(store, T0 + 1, 2)).toHaveLength(1);
      expect(await store.queueDelete({ queue: QUEUE })).toBe(true);
      await configured(store, config, 2);
      expect(await leaseAt(store, T0 + 2, 2)).toHaveLength(1);
    });

    ctx.test('twenty concurrent leases never pass a concurrency or rate limit', async () => {
      const store = ctx.store();
      await configured(store, { concurrency: 3 }, 20, 'capped');
      await configured(store, { rateLimit: { max: 4, perMs: 10_000 } }, 20, 'rated');
      const batches = await Promise.all(
        Array.from({ length: 20 }, (_, i) => leaseAt(store, T0 + 1, (i % 3) + 1, i % 2 === 0 ? ['capped'] : ['rated'])),
      );
      const leased = batches.flat();
      expect(leased.filter((j) => j.queue === 'capped')).toHaveLength(3);
      expect(leased.filter((j) => j.queue === 'rated')).toHaveLength(4);
      expect(new Set(leased.map((j) => j.id)).size).toBe(7);
    });

    ctx.test('maxWaiting refuses a batch that would pass it, whole, and writes nothing', async () => {
      const store = ctx.store();
      await configured(store, { maxWaiting: 3 });
      await enqueue(store, [newJob(), delayedJob(T0 + 60_000)]);
      await expect(store.jobEnqueueMany({ jobs: [newJob(), newJob()], now: T0 + 1 })).rejects.toBeInstanceOf(
        QueueFullError,
      );
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ waiting: 1, delayed: 1 });
      await enqueue(store, [newJob()], T0 + 2);
      await expect(store.jobEnqueueMany({ jobs: [newJob()], now: T0 + 3 })).rejects.toMatchObject({
        code: 'QUEUE_FULL',
        details: { queue: QUEUE, maxWaiting: 3 },
      });
    });

    ctx.test('maxWaiting counts waiting and delayed jobs only: a lease makes room', async () => {
      const store = ctx.store();
      await configured(store, { maxWaiting: 2 }, 2);
      await expect(store.jobEnqueueMany({ jobs: [newJob()], now: T0 + 1 })).rejects.toBeInstanceOf(QueueFullError);
      expect(await leaseAt(store, T0 + 2, 1)).toHaveLength(1);
      const [result] = await enqueue(store, [newJob()], T0 + 3);
      expect(result?.created).toBe(true);
    });

    ctx.test('maxWaiting does not refuse an enqueue that creates nothing (an existing id)', async () => {
      const store = ctx.store();
      await configured(store, { maxWaiting: 1 });
      const job = newJob();
      await enqueue(store, [job]);
      const [again] = await enqueue(store, [job], T0 + 1);
      expect(again).toMatchObject({ created: false, job: { id: job.id } });
    });
  });
}
