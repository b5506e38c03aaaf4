/**
 * core-queue's tests and examples (seeds-reference.md 5.6) as engine behaviour: defer, max
 * attempts with retry and abort, failed and reload (redrive), flush (purge), info (stats).
 * Its "timeout channel" is our dead reason `timeout`; its "failed channel" is dead.
 */
import { describe, expect, it } from 'vitest';
import { createHarness, leaseNext, leaseOne, nextEvent, T0, type StoreFactory } from './harness.ts';

export function coreQueueCases(createStore: StoreFactory): void {
  describe('seed core-queue', () => {
    it('a failing handler with maxAttempts 2 retries once; with maxAttempts 1 it aborts', async () => {
      const h = await createHarness(createStore);
      try {
        const two = (await h.engine.enqueue('q', { data: 'x', maxAttempts: 2 })).job;
        const one = (await h.engine.enqueue('q', { data: 'y', maxAttempts: 1 })).job;
        const retried = await h.engine.nack(two.id, { token: (await leaseOne(h.engine, 'q')).leaseToken, fail: true });
        const aborted = await h.engine.nack(one.id, { token: (await leaseOne(h.engine, 'q')).leaseToken, fail: true });
        expect(retried.state).toBe('delayed');
        expect(aborted).toMatchObject({ state: 'dead', deadReason: 'max-attempts' });
        expect(h.log.filter((e) => e.event === 'job:retrying')).toHaveLength(1);
      } finally {
        await h.engine.close();
      }
    });

    it('a job deferred 2 s is not delivered within 1 s but is after 2 s', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 'later', delayMs: 2000 });
        h.clock.advance(1000);
        expect(await h.engine.lease({ queues: ['q'] })).toEqual([]);
        h.clock.advance(1000);
        expect((await leaseNext(h.engine, 'q')).id).toBe(job.id);
      } finally {
        await h.engine.close();
      }
    });

    it('a job scheduled at a past time is delivered at once', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 'now', runAt: T0 - 60_000 });
        expect(job.state).toBe('waiting');
        expect((await leaseOne(h.engine, 'q')).id).toBe(job.id);
      } finally {
        await h.engine.close();
      }
    });

    it('a failed job counts as dead in info, and flush empties it', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 'x', maxAttempts: 1 });
        await h.engine.nack(job.id, { token: (await leaseOne(h.engine, 'q')).leaseToken, fail: true });
        expect((await h.engine.stats('q')).counts.dead).toBe(1);
        expect(await h.engine.purge('q', { states: ['dead'] })).toBe(1);
        expect((await h.engine.stats('q')).counts.dead).toBe(0);
      } finally {
        await h.engine.close();
      }
    });

    it('maxAttempts 2 that fails once then succeeds leaves nothing dead', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 'x', maxAttempts: 2 });
        await h.engine.nack(job.id, { token: (await leaseOne(h.engine, 'q')).leaseToken, fail: true });
        h.clock.advance(1000);
        await h.engine.ack(job.id, { token: (await leaseNext(h.engine, 'q')).leaseToken });
        expect((await h.engine.stats('q')).counts).toMatchObject({ dead: 0, completed: 1 });
      } finally {
        await h.engine.close();
      }
    });

    it('a job that times out goes dead as timeout, and reload (redrive) brings it back to waiting', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 'x', timeoutMs: 1000, maxAttempts: 1 });
        await leaseOne(h.engine, 'q');
        const dead = nextEvent(h.engine, 'job:dead');
        h.clock.advance(1000);
        await dead;
        expect(await h.engine.get(job.id)).toMatchObject({ state: 'dead', deadReason: 'timeout' });
        expect(await h.engine.redrive('q', { reason: 'timeout' })).toBe(1);
        expect((await h.engine.stats('q')).counts).toMatchObject({ dead: 0, waiting: 1 });
      } finally {
        await h.engine.close();
      }
    });

    it('a faulty job with maxAttempts 3 fails twice and then succeeds', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 'hello world', maxAttempts: 3 });
        const outputs: string[] = [];
        for (let attempt = 1; attempt <= 3; attempt++) {
          const leased = await leaseNext(h.engine, 'q');
          if (attempt < 3) {
            outputs.push('faulty');
            await h.engine.nack(job.id, { token: leased.leaseToken, fail: true });
            h.clock.advance(10_000);
          } else {
            outputs.push(leased.data as string);
            await h.engine.ack(job.id, { token: leased.leaseToken });
          }
        }
        expect(outputs).toEqual(['faulty', 'faulty', 'hello world']);
      } finally {
        await h.engine.close();
      }
    });
  });
}
