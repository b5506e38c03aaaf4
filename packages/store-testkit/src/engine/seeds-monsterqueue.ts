/**
 * monsterqueue's test suite (seeds-reference.md 4.4) as engine behaviour. Its task registry and
 * ProcessLoop are SDK features; here a consumer leases and acks as a worker would. States map:
 * enqueued = waiting, running = active, done = completed or dead.
 */
import { JobNotFoundError, type Job } from '@docket/protocol';
import { describe, expect, it } from 'vitest';
import { createHarness, leaseOne, T0, type StoreFactory } from './harness.ts';

export function monsterqueueCases(createStore: StoreFactory): void {
  describe('seed monsterqueue', () => {
    it('enqueue and process: params, task name, result and all three timestamps are kept', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('default', { data: { a: 'b' }, name: 'test-task' });
        h.clock.advance(5);
        const leased = await leaseOne(h.engine, 'default');
        h.clock.advance(5);
        await h.engine.ack(job.id, { token: leased.leaseToken, result: 'my result' });
        const got = await h.engine.get(job.id);
        expect(got).toMatchObject({ name: 'test-task', data: { a: 'b' }, state: 'completed', result: 'my result' });
        expect([got.createdAt, got.startedAt, got.finishedAt]).toEqual([T0, T0 + 5, T0 + 10]);
      } finally {
        await h.engine.close();
      }
    });

    it('enqueue-and-wait times out while the task runs, and the result is retrievable later', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('default', { data: { sleep: true }, name: 'test-task' });
        const leased = await leaseOne(h.engine, 'default');
        const waiting = h.engine.waitFor(job.id, { waitMs: 500 });
        await new Promise((r) => setImmediate(r));
        h.clock.advance(500);
        const timedOut = await waiting;
        expect(timedOut.state).toBe('active');
        expect(timedOut.result).toBeNull();
        await h.engine.ack(job.id, { token: leased.leaseToken, result: 'my result' });
        expect((await h.engine.get(job.id)).result).toBe('my result');
      } finally {
        await h.engine.close();
      }
    });

    it('enqueue-and-wait of a task that errors returns the error message and no result', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('default', { data: { err: 'fatal' }, name: 'test-task' });
        const waiting = h.engine.waitFor(job.id, { waitMs: 10_000 });
        const leased = await leaseOne(h.engine, 'default');
        await h.engine.nack(job.id, {
          token: leased.leaseToken,
          fail: true,
          retry: false,
          error: { message: 'fatal' },
        });
        expect(await waiting).toMatchObject({ state: 'dead', result: null, error: { message: 'fatal' } });
      } finally {
        await h.engine.close();
      }
    });

    it('a thousand concurrent enqueue-and-waits with timeout 0 all return', async () => {
      const h = await createHarness(createStore);
      try {
        const waits = Array.from({ length: 1000 }, async (_, i) => {
          const { job } = await h.engine.enqueue('default', { data: i, name: 'test-task' });
          return h.engine.waitFor(job.id, { waitMs: 0 });
        });
        const jobs = await Promise.all(waits);
        expect(jobs.every((j) => j.state === 'waiting')).toBe(true);
      } finally {
        await h.engine.close();
      }
    });

    it('a thousand concurrent enqueue-and-waits all get their result from concurrent consumers', async () => {
      const h = await createHarness(createStore);
      try {
        const waits = Array.from({ length: 1000 }, async (_, i) => {
          const { job } = await h.engine.enqueue('default', { data: i, name: 'test-task' });
          return h.engine.waitFor(job.id, { waitMs: 60_000 });
        });
        const consumers = Array.from({ length: 10 }, async () => {
          for (;;) {
            const jobs = await h.engine.lease({ queues: ['default'], max: 10 });
            if (jobs.length === 0) {
              const counts = (await h.engine.stats('default')).counts;
              if (counts.completed === 1000) return;
              await new Promise((r) => setImmediate(r));
              continue;
            }
            await Promise.all(jobs.map((j) => h.engine.ack(j.id, { token: j.leaseToken, result: j.data as number })));
          }
        });
        const [results] = await Promise.all([Promise.all(waits), Promise.all(consumers)]);
        expect(results.map((j: Job) => j.result)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
      } finally {
        await h.engine.close();
      }
    });

    it('status before processing is enqueued with no start or end time, then running with a start time', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('default', { data: { sleep: true }, name: 'test-task' });
        expect(job).toMatchObject({ state: 'waiting', startedAt: null, finishedAt: null, result: null });
        await leaseOne(h.engine, 'default');
        expect(await h.engine.get(job.id)).toMatchObject({ state: 'active', startedAt: T0, finishedAt: null });
      } finally {
        await h.engine.close();
      }
    });

    it('list jobs shows done and enqueued jobs in enqueue order with their params', async () => {
      const h = await createHarness(createStore);
      try {
        const first = (await h.engine.enqueue('default', { data: { n: 1 }, name: 'test-task' })).job;
        await h.engine.ack(first.id, { token: (await leaseOne(h.engine, 'default')).leaseToken, result: 'ok' });
        const second = (await h.engine.enqueue('default', { data: { n: 2 }, name: 'test-task' })).job;
        const page = await h.engine.list('default');
        expect(page.items.map((j) => [j.id, j.state, j.data])).toEqual([
          [first.id, 'completed', { n: 1 }],
          [second.id, 'waiting', { n: 2 }],
        ]);
      } finally {
        await h.engine.close();
      }
    });

    it('a deleted job cannot be retrieved or listed, and deleting or retrieving an unknown id fails', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('default', { data: {}, name: 'test-task' });
        await h.engine.delete(job.id);
        await expect(h.engine.get(job.id)).rejects.toBeInstanceOf(JobNotFoundError);
        expect((await h.engine.list('default')).items).toEqual([]);
        await expect(h.engine.delete('unknown')).rejects.toBeInstanceOf(JobNotFoundError);
        await expect(h.engine.get('unknown')).rejects.toBeInstanceOf(JobNotFoundError);
      } finally {
        await h.engine.close();
      }
    });

    it('the enqueue stack recorded in meta is returned as enqueued', async () => {
      const h = await createHarness(createStore);
      try {
        const stack = new Error('here').stack?.slice(0, 2048) ?? '';
        const { job } = await h.engine.enqueue('default', { data: {}, meta: { enqueueStack: stack } });
        expect((await h.engine.get(job.id)).meta.enqueueStack).toBe(stack);
        expect(stack).toMatch(/seeds-monsterqueue/);
      } finally {
        await h.engine.close();
      }
    });
  });
}
