/** Engine: failed attempts, backoff, max attempts, reaping and timeouts. Jitter is fixed (random = 0.5). */
import { LeaseMismatchError } from '@docket/protocol';
import { describe, expect, it } from 'vitest';
import { createHarness, leaseOne, nextEvent, T0, until, type StoreFactory } from './harness.ts';

export function retryCases(createStore: StoreFactory): void {
  describe('engine retries', () => {
    it('a failed attempt waits out its backoff, then runs again', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1 });
        const leased = await leaseOne(h.engine, 'q');
        const failed = await h.engine.nack(job.id, { token: leased.leaseToken, error: { message: 'smtp down' } });
        expect(failed).toMatchObject({
          state: 'delayed',
          runAt: T0 + 1000,
          error: { message: 'smtp down', attempt: 1 },
        });
        expect(h.log.map((e) => e.event)).toContain('job:retrying');
        h.clock.advance(999);
        expect(await h.engine.lease({ queues: ['q'] })).toEqual([]);
        const waiting = h.engine.lease({ queues: ['q'], waitMs: 10_000 });
        h.clock.advance(1);
        expect((await waiting)[0]).toMatchObject({ id: job.id, attempts: 2 });
      } finally {
        await h.engine.close();
      }
    });

    it('a failed attempt at maxAttempts makes the job dead with reason max-attempts', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1, maxAttempts: 2 });
        let leased = await leaseOne(h.engine, 'q');
        await h.engine.nack(job.id, { token: leased.leaseToken, fail: true });
        h.clock.advance(1000);
        const waiting = h.engine.lease({ queues: ['q'], waitMs: 1000 });
        leased = (await waiting)[0]!;
        const dead = await h.engine.nack(job.id, { token: leased.leaseToken, fail: true, error: { message: 'again' } });
        expect(dead).toMatchObject({
          state: 'dead',
          deadReason: 'max-attempts',
          attempts: 2,
          error: { message: 'again' },
        });
        expect(h.log.at(-1)).toEqual({ event: 'job:dead', jobId: job.id });
      } finally {
        await h.engine.close();
      }
    });

    it('a rate-limited nack spends no attempt: a job with maxAttempts 1 still gets its one failure', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1, maxAttempts: 1 });
        for (let round = 0; round < 3; round += 1) {
          const leased = (await h.engine.lease({ queues: ['q'], waitMs: 1000 }))[0]!;
          const given = await h.engine.nack(job.id, { token: leased.leaseToken, rateLimited: true, delayMs: 500 });
          expect(given).toMatchObject({ state: 'delayed', runAt: h.clock.now() + 500, attempts: 0 });
          expect(h.log.at(-1)).toEqual({ event: 'job:nacked', jobId: job.id });
          h.clock.advance(500);
        }
        const leased = (await h.engine.lease({ queues: ['q'], waitMs: 1000 }))[0]!;
        expect(leased.attempts).toBe(1);
        const dead = await h.engine.nack(job.id, { token: leased.leaseToken, fail: true });
        expect(dead).toMatchObject({ state: 'dead', deadReason: 'max-attempts', attempts: 1, nacks: 3 });
        await expect(
          h.engine.nack(job.id, { token: leased.leaseToken, rateLimited: true, delayMs: 500 }),
        ).rejects.toBeInstanceOf(LeaseMismatchError);
      } finally {
        await h.engine.close();
      }
    });

    it('failing for good makes the job dead as rejected even with attempts left', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1, maxAttempts: 10 });
        const leased = await leaseOne(h.engine, 'q');
        const dead = await h.engine.nack(job.id, { token: leased.leaseToken, fail: true, retry: false });
        expect(dead).toMatchObject({ state: 'dead', deadReason: 'rejected' });
      } finally {
        await h.engine.close();
      }
    });

    it('a lease that runs out is reaped as a failed attempt and its stale token is refused', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1, leaseMs: 2000 });
        const leased = await leaseOne(h.engine, 'q');
        const reaped = nextEvent(h.engine, 'job:reaped');
        h.clock.advance(2000);
        expect((await reaped).job).toMatchObject({ id: job.id, state: 'delayed', runAt: T0 + 3000 });
        await expect(h.engine.ack(job.id, { token: leased.leaseToken })).rejects.toBeInstanceOf(LeaseMismatchError);
      } finally {
        await h.engine.close();
      }
    });

    it('extend keeps a lease alive past its first deadline', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1, leaseMs: 2000 });
        const leased = await leaseOne(h.engine, 'q');
        h.clock.advance(1500);
        const extended = await h.engine.extend(job.id, { token: leased.leaseToken, leaseMs: 2000 });
        expect(extended.leaseExpiresAt).toBe(T0 + 3500);
        h.clock.advance(1000);
        expect(await h.engine.ack(job.id, { token: leased.leaseToken })).toMatchObject({ state: 'completed' });
      } finally {
        await h.engine.close();
      }
    });

    it('timeoutMs caps extensions, and an attempt past it dies with reason timeout at its last attempt', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1, leaseMs: 5000, timeoutMs: 3000, maxAttempts: 1 });
        const leased = await leaseOne(h.engine, 'q');
        expect(leased.leaseExpiresAt).toBe(T0 + 3000);
        h.clock.advance(1000);
        const extended = await h.engine.extend(job.id, { token: leased.leaseToken, leaseMs: 60_000 });
        expect(extended.leaseExpiresAt).toBe(T0 + 3000);
        const dead = nextEvent(h.engine, 'job:dead');
        h.clock.advance(2000);
        expect((await dead).job).toMatchObject({ id: job.id, deadReason: 'timeout' });
      } finally {
        await h.engine.close();
      }
    });

    it('one reaper run gives back every expired lease and announces each, leaving an acked job alone', async () => {
      const h = await createHarness(createStore);
      try {
        const retried = (await h.engine.enqueue('q', { data: 1, leaseMs: 1000 })).job;
        const last = (await h.engine.enqueue('q', { data: 2, leaseMs: 1000, maxAttempts: 1 })).job;
        const acked = (await h.engine.enqueue('q', { data: 3, leaseMs: 1000 })).job;
        const also = (await h.engine.enqueue('q', { data: 4, leaseMs: 1000 })).job;
        const leased = await h.engine.lease({ queues: ['q'], max: 4 });
        expect(leased.map((job) => job.id)).toEqual([retried.id, last.id, acked.id, also.id]);
        await h.engine.ack(acked.id, { token: leased[2]!.leaseToken });
        h.clock.advance(1000);
        const reapedIds = () => h.log.filter((e) => e.event === 'job:reaped').map((e) => e.jobId);
        await until(() => reapedIds().length === 3);
        expect(new Set(reapedIds())).toEqual(new Set([retried.id, last.id, also.id]));
        const retrying = h.log.filter((e) => e.event === 'job:retrying').map((e) => e.jobId);
        expect(new Set(retrying)).toEqual(new Set([retried.id, also.id]));
        expect(h.log.filter((e) => e.event === 'job:dead')).toEqual([{ event: 'job:dead', jobId: last.id }]);
        expect(await h.engine.get(retried.id)).toMatchObject({ state: 'delayed', runAt: T0 + 2000, attempts: 1 });
        expect(await h.engine.get(also.id)).toMatchObject({ state: 'delayed', runAt: T0 + 2000, attempts: 1 });
        expect(await h.engine.get(last.id)).toMatchObject({ state: 'dead', deadReason: 'max-attempts' });
        expect(await h.engine.get(acked.id)).toMatchObject({ state: 'completed' });
      } finally {
        await h.engine.close();
      }
    });

    it('a reaped job at its last attempt is dead with reason max-attempts', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1, leaseMs: 1000, maxAttempts: 1 });
        await leaseOne(h.engine, 'q');
        const dead = nextEvent(h.engine, 'job:dead');
        h.clock.advance(1000);
        expect((await dead).job).toMatchObject({ id: job.id, state: 'dead', deadReason: 'max-attempts' });
      } finally {
        await h.engine.close();
      }
    });

    it('a thousand lease cycles on the manual clock keep attempts monotonic and end dead at maxAttempts', async () => {
      const h = await createHarness(createStore, { start: false });
      try {
        const zero = { type: 'fixed', initialMs: 0, maxMs: 0, factor: 1, jitter: 0 } as const;
        const { job } = await h.engine.enqueue('q', { data: 1, maxAttempts: 1000, backoff: zero });
        let last = 0;
        for (let i = 0; i < 1000; i++) {
          const leased = await leaseOne(h.engine, 'q');
          expect(leased.attempts).toBe(last + 1);
          last = leased.attempts;
          await h.engine.nack(job.id, { token: leased.leaseToken, fail: true });
        }
        expect(await h.engine.get(job.id)).toMatchObject({ state: 'dead', deadReason: 'max-attempts', attempts: 1000 });
      } finally {
        await h.engine.close();
      }
    });
  });
}
