/**
 * Engine: flow control over the store under test. A long-poll that a limit holds back parks
 * instead of returning empty: until the rate window opens (the store says when), or until an
 * active job of a concurrency-limited queue leaves `active`; an enqueue past `maxWaiting` or
 * `maxBytes` is refused with QueueFullError.
 */
import { describe, expect, it } from 'vitest';
import { QueueFullError, type LeasedJob } from '@docket/protocol';
import type { ManualClock } from '@docket/core';
import { createHarness, leaseOne, until, type StoreFactory } from './harness.ts';

/**
 * Waits until `count` long-polls are parked on the manual clock (the harness runs no services
 * here, so every pending timer is a parked lease's).
 */
function parked(clock: ManualClock, count = 1): Promise<void> {
  return until(() => clock.pendingTimers() === count);
}

function tracked(promise: Promise<LeasedJob[]>): { promise: Promise<LeasedJob[]>; done: () => boolean } {
  let finished = false;
  void promise.then(() => (finished = true));
  return { promise, done: () => finished };
}

export function flowControlCases(createStore: StoreFactory): void {
  describe('engine flow control', () => {
    it('a long-poll on a rate-limited queue waits for the next window, then leases', async () => {
      const h = await createHarness(createStore, { start: false });
      try {
        await h.engine.configureQueue('rated', { rateLimit: { max: 1, perMs: 1_000 } });
        const [, second] = await h.engine.enqueueMany('rated', [{ data: 1 }, { data: 2 }]);
        await leaseOne(h.engine, 'rated');
        const waiting = tracked(h.engine.lease({ queues: ['rated'], waitMs: 10_000 }));
        await parked(h.clock);
        h.clock.advance(500);
        await new Promise((r) => setImmediate(r));
        expect(waiting.done()).toBe(false);
        h.clock.advance(501);
        const [got] = await waiting.promise;
        expect(got?.id).toBe(second?.job.id);
      } finally {
        await h.engine.close();
      }
    });

    it('a throttled long-poll still ends empty at its waitMs', async () => {
      const h = await createHarness(createStore, { start: false });
      try {
        await h.engine.configureQueue('rated', { rateLimit: { max: 1, perMs: 60_000 } });
        await h.engine.enqueueMany('rated', [{ data: 1 }, { data: 2 }]);
        await leaseOne(h.engine, 'rated');
        const waiting = h.engine.lease({ queues: ['rated'], waitMs: 2_000 });
        await parked(h.clock);
        h.clock.advance(2_000);
        expect(await waiting).toEqual([]);
      } finally {
        await h.engine.close();
      }
    });

    it('a long-poll on a full concurrency limit is woken when an active job is acked', async () => {
      const h = await createHarness(createStore, { start: false });
      try {
        await h.engine.configureQueue('capped', { concurrency: 1 });
        const [, second] = await h.engine.enqueueMany('capped', [{ data: 1 }, { data: 2 }]);
        const first = await leaseOne(h.engine, 'capped');
        const waiting = tracked(h.engine.lease({ queues: ['capped'], waitMs: 10_000 }));
        await parked(h.clock);
        expect(waiting.done()).toBe(false);
        await h.engine.ack(first.id, { token: first.leaseToken });
        const [got] = await waiting.promise;
        expect(got?.id).toBe(second?.job.id);
      } finally {
        await h.engine.close();
      }
    });

    it('an enqueue past maxWaiting is refused with QueueFullError and creates nothing', async () => {
      const h = await createHarness(createStore, { start: false });
      try {
        await h.engine.configureQueue('bounded', { maxWaiting: 2 });
        await h.engine.enqueueMany('bounded', [{ data: 1 }, { data: 2 }]);
        await expect(h.engine.enqueue('bounded', { data: 3 })).rejects.toBeInstanceOf(QueueFullError);
        expect((await h.engine.stats('bounded')).counts.waiting).toBe(2);
      } finally {
        await h.engine.close();
      }
    });

    it('an enqueue past maxBytes is refused with QueueFullError, and a job that ends frees its bytes', async () => {
      const h = await createHarness(createStore, { start: false });
      try {
        await h.engine.configureQueue('sized', { maxBytes: 100 });
        const { job } = await h.engine.enqueue('sized', { data: 'a'.repeat(58) });
        await h.engine.enqueue('sized', { data: 'b'.repeat(38), delayMs: 60_000 });
        await expect(h.engine.enqueue('sized', { data: 'c' })).rejects.toMatchObject({
          code: 'QUEUE_FULL',
          details: { queue: 'sized', maxBytes: 100 },
        });
        expect(await h.engine.cancel(job.id)).toMatchObject({ state: 'dead' });
        expect((await h.engine.enqueue('sized', { data: 'c'.repeat(58) })).created).toBe(true);
      } finally {
        await h.engine.close();
      }
    });
  });
}
