/** Engine: the happy path and consumer-chosen placements, with the events they announce. */
import { describe, expect, it } from 'vitest';
import { createHarness, leaseOne, T0, type StoreFactory } from './harness.ts';

export function lifecycleCases(createStore: StoreFactory): void {
  describe('engine lifecycle', () => {
    it('enqueue, lease and ack with a result announce enqueued, leased and completed', async () => {
      const h = await createHarness(createStore);
      try {
        const { job, created } = await h.engine.enqueue('mail', { data: { to: 'a' }, name: 'send' });
        expect(created).toBe(true);
        expect(job).toMatchObject({ state: 'waiting', queue: 'mail', name: 'send', createdAt: T0, attempts: 0 });
        const leased = await leaseOne(h.engine, 'mail', { worker: 'w1' });
        expect(leased).toMatchObject({ id: job.id, attempts: 1, worker: 'w1', leaseExpiresAt: T0 + 30_000 });
        const done = await h.engine.ack(job.id, { token: leased.leaseToken, result: { sent: true } });
        expect(done).toMatchObject({ state: 'completed', result: { sent: true }, finishedAt: T0 });
        expect(h.log.map((e) => e.event)).toEqual(['job:enqueued', 'job:leased', 'job:completed']);
      } finally {
        await h.engine.close();
      }
    });

    it('time comes from the injected clock only', async () => {
      const h = await createHarness(createStore);
      try {
        h.clock.advance(12_345);
        const { job } = await h.engine.enqueue('q', { data: 1, delayMs: 1000, ttlMs: 5000 });
        expect(job).toMatchObject({ createdAt: T0 + 12_345, runAt: T0 + 13_345, expiresAt: T0 + 17_345 });
      } finally {
        await h.engine.close();
      }
    });

    it('a nack to the front puts the job ahead of the waiting jobs of its priority', async () => {
      const h = await createHarness(createStore);
      try {
        const a = (await h.engine.enqueue('q', { data: 'a' })).job;
        await h.engine.enqueue('q', { data: 'b' });
        const leased = await leaseOne(h.engine, 'q');
        expect(leased.id).toBe(a.id);
        await h.engine.enqueue('q', { data: 'c' });
        const nacked = await h.engine.nack(a.id, { token: leased.leaseToken, placement: 'front' });
        expect(nacked).toMatchObject({ state: 'waiting', nacks: 1 });
        expect((await leaseOne(h.engine, 'q')).id).toBe(a.id);
      } finally {
        await h.engine.close();
      }
    });

    it('a nack to the back puts the job behind the jobs already waiting', async () => {
      const h = await createHarness(createStore);
      try {
        const a = (await h.engine.enqueue('q', { data: 'a' })).job;
        const b = (await h.engine.enqueue('q', { data: 'b' })).job;
        const leased = await leaseOne(h.engine, 'q');
        h.clock.advance(10);
        await h.engine.nack(a.id, { token: leased.leaseToken, placement: 'back' });
        expect((await leaseOne(h.engine, 'q')).id).toBe(b.id);
        expect((await leaseOne(h.engine, 'q')).id).toBe(a.id);
      } finally {
        await h.engine.close();
      }
    });

    it('a nack with a delay hides the job until then and counts as a delayed nack, not a failure', async () => {
      const h = await createHarness(createStore);
      try {
        const a = (await h.engine.enqueue('q', { data: 'a', maxAttempts: 1 })).job;
        const leased = await leaseOne(h.engine, 'q');
        const nacked = await h.engine.nack(a.id, { token: leased.leaseToken, placement: 'delay', delayMs: 5000 });
        expect(nacked).toMatchObject({ state: 'delayed', runAt: T0 + 5000, nacks: 1, delayedNacks: 1 });
        expect(await h.engine.lease({ queues: ['q'] })).toEqual([]);
        const waiting = h.engine.lease({ queues: ['q'], waitMs: 10_000 });
        h.clock.advance(5000);
        const [again] = await waiting;
        expect(again).toMatchObject({ id: a.id, attempts: 2 });
      } finally {
        await h.engine.close();
      }
    });

    it('lease returns jobs by priority, then ready time, then enqueue order, across queues', async () => {
      const h = await createHarness(createStore);
      try {
        const low = (await h.engine.enqueue('a', { data: 'low', priority: -1 })).job;
        const first = (await h.engine.enqueue('b', { data: 'first' })).job;
        const high = (await h.engine.enqueue('a', { data: 'high', priority: 5 })).job;
        const second = (await h.engine.enqueue('a', { data: 'second' })).job;
        const jobs = await h.engine.lease({ queues: ['a', 'b'], max: 10 });
        expect(jobs.map((j) => j.id)).toEqual([high.id, first.id, second.id, low.id]);
      } finally {
        await h.engine.close();
      }
    });

    it('byte payloads come back as the same bytes', async () => {
      const h = await createHarness(createStore);
      try {
        const bytes = new Uint8Array([0, 255, 1, 128, 10]);
        await h.engine.enqueue('q', { data: bytes });
        const leased = await leaseOne(h.engine, 'q');
        expect(leased.encoding).toBe('bytes');
        expect(Array.from(leased.data as Uint8Array)).toEqual([0, 255, 1, 128, 10]);
      } finally {
        await h.engine.close();
      }
    });
  });
}
