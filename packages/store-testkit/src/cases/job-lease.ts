/**
 * jobLease: waiting order across queues, max, token hand-out, the fields a lease sets, lease
 * length (call override, timeoutMs cap), and what is never leased: delayed jobs before
 * promotion, paused queues, expired jobs, jobs already leased, empty and unknown queues.
 */
import { describe, expect } from 'vitest';
import type { CaseContext } from '../case-registry.ts';
import { delayedJob, freshTokens, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { drainIds, enqueue, enqueueOne, lease, leaseOne } from '../support/store-actions.ts';

export function registerJobLeaseCases(ctx: CaseContext): void {
  describe('job lease', () => {
    ctx.test('leasing follows priority, then ready time, then seq, across queues', async () => {
      const store = ctx.store();
      const jobs = [
        newJob({ queue: 'q1', priority: 0, runAt: T0 + 2 }),
        newJob({ queue: 'q2', priority: 0, runAt: T0 + 1 }),
        newJob({ queue: 'q1', priority: 5, runAt: T0 + 50 }),
        newJob({ queue: 'q2', priority: 0, runAt: T0 + 1 }),
        newJob({ queue: 'q1', priority: -3, runAt: T0 }),
        newJob({ queue: 'q2', priority: 5, runAt: T0 + 50 }),
        newJob({ queue: 'q3', priority: 100, runAt: T0 }),
      ];
      await enqueue(store, jobs, T0 + 100);
      const [a, b, c, d, e, f, outside] = jobs.map((j) => j.id);
      expect(await drainIds(store, ['q1', 'q2'], T0 + 100)).toEqual([c, f, b, d, a, e]);
      expect((await store.jobGet({ id: outside ?? '' }))?.state).toBe('waiting');
    });

    ctx.test('a batch lease takes the first jobs in waiting order up to max', async () => {
      const store = ctx.store();
      const jobs = [1, 4, 2, 5, 3].map((priority) => newJob({ priority }));
      await enqueue(store, jobs);
      const leased = await lease(store, { queues: [QUEUE], now: T0 + 1, max: 3 });
      expect(leased.map((j) => j.priority).sort((x, y) => x - y)).toEqual([3, 4, 5]);
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ waiting: 2, active: 3 });
    });

    ctx.test('tokens are handed out in order to the jobs claimed in waiting order', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob({ priority: 1 }), newJob({ priority: 3 }), newJob({ priority: 2 })]);
      const tokens = freshTokens(5);
      const leased = await store.jobLease({
        queues: [QUEUE],
        max: 5,
        now: T0 + 1,
        leaseMs: null,
        worker: null,
        tokens,
      });
      const byPriority = [...leased].sort((x, y) => y.priority - x.priority);
      expect(byPriority.map((j) => j.leaseToken)).toEqual(tokens.slice(0, 3));
    });

    ctx.test('a lease sets attempts, attempt start, worker and deadline', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, newJob());
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 10, worker: 'worker-1' });
      expect(leased).toMatchObject({
        id: job.id,
        state: 'active',
        attempts: 1,
        attemptStartedAt: T0 + 10,
        startedAt: T0 + 10,
        worker: 'worker-1',
        leaseExpiresAt: T0 + 10 + 30_000,
      });
      expect(typeof leased.leaseToken).toBe('string');
      expect(await store.jobGet({ id: job.id })).toEqual(leased);
    });

    ctx.test('a later lease keeps startedAt from the first and takes a new token', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const first = await leaseOne(store, { queues: [QUEUE], now: T0 + 10, worker: 'worker-1' });
      await store.jobNack({
        id: first.id,
        token: first.leaseToken,
        now: T0 + 20,
        target: { state: 'waiting', placement: 'back' },
        kind: 'placement',
        error: null,
        leaseExpiredOnly: false,
      });
      const second = await leaseOne(store, { queues: [QUEUE], now: T0 + 30, worker: 'worker-2' });
      expect(second).toMatchObject({ id: first.id, attempts: 2, startedAt: T0 + 10, attemptStartedAt: T0 + 30 });
      expect(second.worker).toBe('worker-2');
      expect(second.leaseToken).not.toBe(first.leaseToken);
    });

    ctx.test('a lease without a worker records none', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      expect(leased.worker).toBeNull();
    });

    ctx.test('the lease length given to the call overrides the job leaseMs', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob({ leaseMs: 30_000 }));
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1, leaseMs: 5000 });
      expect(leased.leaseExpiresAt).toBe(T0 + 1 + 5000);
    });

    ctx.test('a job timeoutMs caps the lease deadline', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob({ queue: 'own', timeoutMs: 2000 }), newJob({ queue: 'call', timeoutMs: 3000 })]);
      const own = await leaseOne(store, { queues: ['own'], now: T0 + 1 });
      const call = await leaseOne(store, { queues: ['call'], now: T0 + 1, leaseMs: 60_000 });
      expect(own.leaseExpiresAt).toBe(T0 + 1 + 2000);
      expect(call.leaseExpiresAt).toBe(T0 + 1 + 3000);
    });

    ctx.test('a delayed job is not leased before its due time', async () => {
      const store = ctx.store();
      await enqueueOne(store, delayedJob(T0 + 1000));
      expect(await lease(store, { queues: [QUEUE], now: T0 + 999, max: 10 })).toEqual([]);
    });

    ctx.test('a due delayed job is leased only once promoted', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, delayedJob(T0 + 1000));
      expect(await lease(store, { queues: [QUEUE], now: T0 + 1000, max: 10 })).toEqual([]);
      expect((await store.jobPromoteDue({ now: T0 + 1000, limit: 10 })).map((j) => j.id)).toEqual([job.id]);
      expect((await leaseOne(store, { queues: [QUEUE], now: T0 + 1000 })).id).toBe(job.id);
    });

    ctx.test('a paused queue is skipped while other queues are leased', async () => {
      const store = ctx.store();
      await store.queuePause({ queue: 'paused', now: T0 });
      const [held] = await enqueue(store, [newJob({ queue: 'paused', priority: 10 })]);
      expect(held).toMatchObject({ created: true, job: { state: 'waiting' } });
      const open = await enqueueOne(store, newJob({ queue: 'open' }));
      const leased = await lease(store, { queues: ['paused', 'open'], now: T0 + 1, max: 10 });
      expect(leased.map((j) => j.id)).toEqual([open.id]);
      await store.queueResume({ queue: 'paused', now: T0 + 2 });
      expect((await leaseOne(store, { queues: ['paused', 'open'], now: T0 + 3 })).id).toBe(held?.job.id);
    });

    ctx.test('a waiting job at or past its expiresAt is not leased', async () => {
      const store = ctx.store();
      const expired = await enqueueOne(store, newJob({ expiresAt: T0 + 100 }));
      const alive = await enqueueOne(store, newJob({ expiresAt: T0 + 101 }));
      const leased = await lease(store, { queues: [QUEUE], now: T0 + 100, max: 10 });
      expect(leased.map((j) => j.id)).toEqual([alive.id]);
      expect((await store.jobGet({ id: expired.id }))?.state).not.toBe('active');
    });

    ctx.test('a leased job is not handed out again while its lease runs', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      expect(await lease(store, { queues: [QUEUE], now: T0 + 2, max: 10 })).toEqual([]);
    });

    ctx.test('leasing an empty or unknown queue returns nothing', async () => {
      const store = ctx.store();
      await store.queueConfigure({ queue: 'empty', config: {}, now: T0 });
      expect(await lease(store, { queues: ['empty'], now: T0 + 1, max: 5 })).toEqual([]);
      expect(await lease(store, { queues: ['never-used'], now: T0 + 1, max: 5 })).toEqual([]);
    });
  });
}
