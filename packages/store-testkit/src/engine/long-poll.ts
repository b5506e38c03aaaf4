/** Engine: lease with waitMs returns as soon as a job is ready, woken by every path that makes one ready. */
import { describe, expect, it } from 'vitest';
import { createHarness, leaseOne, type StoreFactory } from './harness.ts';

export function longPollCases(createStore: StoreFactory): void {
  describe('engine long-poll', () => {
    it('a waiting lease is woken by an enqueue without the clock moving', async () => {
      const h = await createHarness(createStore);
      try {
        const waiting = h.engine.lease({ queues: ['x', 'y'], waitMs: 20_000 });
        const { job } = await h.engine.enqueue('y', { data: 1 });
        const [got] = await waiting;
        expect(got?.id).toBe(job.id);
      } finally {
        await h.engine.close();
      }
    });

    it('a waiting lease returns empty when waitMs passes', async () => {
      const h = await createHarness(createStore);
      try {
        const waiting = h.engine.lease({ queues: ['x'], waitMs: 1000 });
        await new Promise((r) => setImmediate(r));
        h.clock.advance(1000);
        expect(await waiting).toEqual([]);
      } finally {
        await h.engine.close();
      }
    });

    it('an aborted wait leases nothing, and the job goes to the next consumer', async () => {
      const h = await createHarness(createStore);
      try {
        const controller = new AbortController();
        const waiting = h.engine.lease({ queues: ['x'], waitMs: 20_000, signal: controller.signal });
        controller.abort();
        expect(await waiting).toEqual([]);
        const { job } = await h.engine.enqueue('x', { data: 1 });
        expect((await leaseOne(h.engine, 'x')).id).toBe(job.id);
      } finally {
        await h.engine.close();
      }
    });

    it('a waiting lease is woken by a delayed job falling due', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('x', { data: 1, delayMs: 3000 });
        const waiting = h.engine.lease({ queues: ['x'], waitMs: 20_000 });
        h.clock.advance(3000);
        const [got] = await waiting;
        expect(got?.id).toBe(job.id);
      } finally {
        await h.engine.close();
      }
    });

    it('a waiting lease is woken by a nack to the front', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('x', { data: 1 });
        const leased = await leaseOne(h.engine, 'x');
        const waiting = h.engine.lease({ queues: ['x'], waitMs: 20_000 });
        await h.engine.nack(job.id, { token: leased.leaseToken, placement: 'front' });
        const [got] = await waiting;
        expect(got?.id).toBe(job.id);
      } finally {
        await h.engine.close();
      }
    });

    it('a waiting lease is woken by resume of a paused queue', async () => {
      const h = await createHarness(createStore);
      try {
        await h.engine.pause('x');
        const { job } = await h.engine.enqueue('x', { data: 1 });
        const waiting = h.engine.lease({ queues: ['x'], waitMs: 20_000 });
        await h.engine.resume('x');
        const [got] = await waiting;
        expect(got?.id).toBe(job.id);
      } finally {
        await h.engine.close();
      }
    });

    it('a waiting lease is woken when a reaped lease returns its job', async () => {
      const h = await createHarness(createStore);
      try {
        const zero = { type: 'fixed', initialMs: 0, maxMs: 0, factor: 1, jitter: 0 } as const;
        const { job } = await h.engine.enqueue('x', { data: 1, leaseMs: 1000, backoff: zero });
        await leaseOne(h.engine, 'x');
        const waiting = h.engine.lease({ queues: ['x'], waitMs: 20_000 });
        h.clock.advance(1000);
        const [got] = await waiting;
        expect(got).toMatchObject({ id: job.id, attempts: 2 });
      } finally {
        await h.engine.close();
      }
    });

    it('close releases waiting leases with no jobs', async () => {
      const h = await createHarness(createStore);
      const waiting = h.engine.lease({ queues: ['x'], waitMs: 20_000 });
      await new Promise((r) => setImmediate(r));
      await h.engine.close();
      expect(await waiting).toEqual([]);
    });

    it('one enqueue of one job wakes one of several waiting consumers, and the rest keep waiting', async () => {
      const h = await createHarness(createStore);
      try {
        const results: number[] = [];
        const waits = [1, 2, 3].map((n) =>
          h.engine.lease({ queues: ['x'], waitMs: 5000 }).then((jobs) => results.push(n * 10 + jobs.length)),
        );
        await new Promise((r) => setImmediate(r));
        await h.engine.enqueue('x', { data: 1 });
        await Promise.race(waits);
        h.clock.advance(5000);
        await Promise.all(waits);
        expect(results.filter((r) => r % 10 === 1)).toHaveLength(1);
        expect(results.filter((r) => r % 10 === 0)).toHaveLength(2);
      } finally {
        await h.engine.close();
      }
    });
  });
}
