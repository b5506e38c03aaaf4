/**
 * Queue totals (QueueInfo.totals): acks count `completed`; failed attempts (a failure nack,
 * retried or dead, the reaper's included) and queueCountFailures count `failed`; the batch forms
 * count as the single ones; placement nacks and refused calls count nothing; totals outlive retention; a purge of the queue's history
 * (every state, or completed and dead together) resets them, other purges keep them; deleting
 * the queue drops them; queueGet, queueList and the queue writes carry them.
 */
import { describe, expect } from 'vitest';
import { JobExpiredError, LeaseMismatchError, type Job, type LeasedJob, type QueueTotals } from '@docket/protocol';
import type { JobNackParams, NackTarget, Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { jobError, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { enqueue, lease, leaseOne, nackParams } from '../support/store-actions.ts';

const NONE: QueueTotals = { completed: 0, failed: 0 };

async function totalsOf(store: Store, queue = QUEUE): Promise<QueueTotals | undefined> {
  return (await store.queueGet({ queue }))?.totals;
}

/** Enqueues `count` jobs in `queue` and leases them all. */
async function leased(store: Store, count: number, queue = QUEUE, now = T0 + 1): Promise<LeasedJob[]> {
  await enqueue(
    store,
    Array.from({ length: count }, () => newJob({ queue })),
  );
  const jobs = await lease(store, { queues: [queue], now, max: count });
  expect(jobs).toHaveLength(count);
  return jobs;
}

function ack(store: Store, job: LeasedJob, now = T0 + 2): Promise<Job> {
  return store.jobAck({ id: job.id, token: job.leaseToken, now, result: null });
}

function fail(store: Store, job: LeasedJob, target: NackTarget, extra: Partial<JobNackParams> = {}): Promise<Job> {
  const now = extra.now ?? T0 + 2;
  return store.jobNack({
    ...nackParams(job, now, target, { kind: 'failure', error: jobError('boom', now, job.attempts) }),
    ...extra,
  });
}

export function registerQueueTotalsCases(ctx: CaseContext): void {
  describe('queue totals', () => {
    ctx.test('a queue starts with zero totals, however it was created', async () => {
      const store = ctx.store();
      expect((await store.queueConfigure({ queue: 'configured', config: {}, now: T0 })).totals).toEqual(NONE);
      expect((await store.queuePause({ queue: 'paused', now: T0 })).totals).toEqual(NONE);
      await enqueue(store, [newJob({ queue: 'enqueued' })]);
      expect(await totalsOf(store, 'enqueued')).toEqual(NONE);
    });

    ctx.test('acks count completed jobs of their own queue, read by queueGet and queueList', async () => {
      const store = ctx.store();
      const [first, ...rest] = await leased(store, 3);
      const [other] = await leased(store, 1, 'other');
      if (first === undefined || other === undefined) throw new Error('expected jobs in both queues');
      await Promise.all([first, ...rest].map((job) => ack(store, job)));
      await ack(store, other);
      await expect(ack(store, first)).rejects.toBeInstanceOf(LeaseMismatchError);
      expect(await totalsOf(store)).toEqual({ completed: 3, failed: 0 });
      const listed = await store.queueList({ limit: 10, cursor: null });
      expect(listed.items.map((q) => [q.name, q.totals])).toEqual([
        [QUEUE, { completed: 3, failed: 0 }],
        ['other', { completed: 1, failed: 0 }],
      ]);
    });

    ctx.test('a failure nack counts a failed attempt whether the job is retried or dead', async () => {
      const store = ctx.store();
      const [retried, dead, rejected] = await leased(store, 3);
      if (retried === undefined || dead === undefined || rejected === undefined) throw new Error('expected 3 jobs');
      await fail(store, retried, { state: 'delayed', runAt: T0 + 5_000 });
      await fail(store, dead, { state: 'dead', reason: 'max-attempts' });
      await fail(store, rejected, { state: 'waiting', placement: 'back' });
      expect(await totalsOf(store)).toEqual({ completed: 0, failed: 3 });
    });

    ctx.test('a placement nack counts nothing', async () => {
      const store = ctx.store();
      const [front, back, delayed] = await leased(store, 3);
      if (front === undefined || back === undefined || delayed === undefined) throw new Error('expected 3 jobs');
      await store.jobNack(nackParams(front, T0 + 2, { state: 'waiting', placement: 'front' }));
      await store.jobNack(nackParams(back, T0 + 2, { state: 'waiting', placement: 'back' }));
      await store.jobNack(nackParams(delayed, T0 + 2, { state: 'delayed', runAt: T0 + 1_000 }));
      expect(await totalsOf(store)).toEqual(NONE);
    });

    ctx.test("the reaper's nack of a lease that ran out counts a failed attempt; a refused one does not", async () => {
      const store = ctx.store();
      await enqueue(store, [newJob()]);
      const job = await leaseOne(store, { queues: [QUEUE], now: T0 + 1, leaseMs: 1_000 });
      const early = fail(
        store,
        job,
        { state: 'delayed', runAt: T0 + 2_000 },
        { now: T0 + 500, leaseExpiredOnly: true },
      );
      await expect(early).rejects.toBeInstanceOf(LeaseMismatchError);
      expect(await totalsOf(store)).toEqual(NONE);
      await fail(store, job, { state: 'delayed', runAt: T0 + 3_000 }, { now: T0 + 1_001, leaseExpiredOnly: true });
      expect(await totalsOf(store)).toEqual({ completed: 0, failed: 1 });
    });

    ctx.test('refused acks and nacks count nothing, an ack past expiresAt included', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob({ expiresAt: T0 + 100 }), newJob()]);
      const [expiring, held] = await lease(store, { queues: [QUEUE], now: T0 + 1, max: 2 });
      if (expiring === undefined || held === undefined) throw new Error('expected 2 jobs');
      await expect(ack(store, expiring, T0 + 100)).rejects.toBeInstanceOf(JobExpiredError);
      await expect(ack(store, { ...held, leaseToken: 'stale' })).rejects.toBeInstanceOf(LeaseMismatchError);
      const staleNack = fail(store, { ...held, leaseToken: 'stale' }, { state: 'dead', reason: 'rejected' });
      await expect(staleNack).rejects.toBeInstanceOf(LeaseMismatchError);
      expect(await totalsOf(store)).toEqual(NONE);
    });

    ctx.test('concurrent acks and failures are each counted once', async () => {
      const store = ctx.store();
      const jobs = await leased(store, 30);
      await Promise.all(
        jobs.map((job, i) => (i % 3 === 0 ? fail(store, job, { state: 'dead', reason: 'rejected' }) : ack(store, job))),
      );
      expect(await totalsOf(store)).toEqual({ completed: 20, failed: 10 });
    });

    ctx.test('batch acks and nacks count as their single forms; refused items count nothing', async () => {
      const store = ctx.store();
      const [a, b, c, d] = await leased(store, 4);
      if (a === undefined || b === undefined || c === undefined || d === undefined) throw new Error('expected 4 jobs');
      const acks = await store.jobAckMany({
        now: T0 + 2,
        acks: [
          { id: a.id, token: a.leaseToken, result: null },
          { id: b.id, token: 'stale', result: null },
          { id: b.id, token: b.leaseToken, result: null },
        ],
      });
      expect(acks.map((outcome) => outcome.ok)).toEqual([true, false, true]);
      const item = { error: null, leaseExpiredOnly: false } as const;
      const nacks = await store.jobNackMany({
        now: T0 + 3,
        nacks: [
          { ...item, id: c.id, token: c.leaseToken, target: { state: 'dead', reason: 'rejected' }, kind: 'failure' },
          {
            ...item,
            id: d.id,
            token: d.leaseToken,
            target: { state: 'waiting', placement: 'back' },
            kind: 'placement',
          },
          { ...item, id: a.id, token: a.leaseToken, target: { state: 'dead', reason: 'rejected' }, kind: 'failure' },
        ],
      });
      expect(nacks.map((outcome) => outcome.ok)).toEqual([true, true, false]);
      expect(await totalsOf(store)).toEqual({ completed: 2, failed: 1 });
    });

    ctx.test('queueCountFailures creates the queue if needed and adds to its failed total', async () => {
      const store = ctx.store();
      const created = await store.queueCountFailures({ queue: 'reported', count: 3, now: T0 });
      const info = { name: 'reported', paused: false, config: {}, createdAt: T0 };
      expect(created).toEqual({ ...info, totals: { completed: 0, failed: 3 } });
      const [job] = await leased(store, 1, 'reported');
      if (job === undefined) throw new Error('expected a job');
      await ack(store, job);
      await store.queuePause({ queue: 'reported', now: T0 + 3 });
      const again = await store.queueCountFailures({ queue: 'reported', count: 1, now: T0 + 4 });
      expect(again).toEqual({ ...info, paused: true, totals: { completed: 1, failed: 4 } });
      expect(await store.queueGet({ queue: 'reported' })).toEqual(again);
    });

    ctx.test('totals outlive retention', async () => {
      const store = ctx.store();
      const [done, dead] = await leased(store, 2);
      if (done === undefined || dead === undefined) throw new Error('expected 2 jobs');
      await ack(store, done);
      await fail(store, dead, { state: 'dead', reason: 'rejected' });
      const retention = { queue: QUEUE, completedBefore: T0 + 10, completedKeep: 0, deadBefore: T0 + 10, limit: 100 };
      expect(await store.jobDeleteRetained(retention)).toBe(2);
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ completed: 0, dead: 0 });
      expect(await totalsOf(store)).toEqual({ completed: 1, failed: 1 });
    });

    ctx.test('a purge without resetTotals keeps the totals, whatever its states', async () => {
      const store = ctx.store();
      const [done, dead] = await leased(store, 2);
      if (done === undefined || dead === undefined) throw new Error('expected 2 jobs');
      await ack(store, done);
      await fail(store, dead, { state: 'dead', reason: 'rejected' });
      await enqueue(store, [newJob()]);
      await store.queuePurge({ queue: QUEUE, states: ['waiting', 'delayed', 'active'], resetTotals: false });
      await store.queuePurge({ queue: QUEUE, states: ['completed'], resetTotals: false });
      await store.queuePurge({ queue: QUEUE, states: null, resetTotals: false });
      expect(await totalsOf(store)).toEqual({ completed: 1, failed: 1 });
    });

    ctx.test('a purge with resetTotals sets the totals back to 0, and counting starts again', async () => {
      const store = ctx.store();
      const [first] = await leased(store, 1);
      if (first === undefined) throw new Error('expected a job');
      await ack(store, first);
      await store.queueCountFailures({ queue: QUEUE, count: 2, now: T0 + 3 });
      await store.queuePurge({ queue: QUEUE, states: null, resetTotals: true });
      expect(await totalsOf(store)).toEqual(NONE);
      const [second] = await leased(store, 1, QUEUE, T0 + 4);
      if (second === undefined) throw new Error('expected a job');
      await ack(store, second, T0 + 5);
      expect(await totalsOf(store)).toEqual({ completed: 1, failed: 0 });
      await store.queuePurge({ queue: QUEUE, states: ['waiting'], resetTotals: true });
      expect(await totalsOf(store)).toEqual(NONE);
    });

    ctx.test('deleting a queue drops its totals', async () => {
      const store = ctx.store();
      const [job] = await leased(store, 1);
      if (job === undefined) throw new Error('expected a job');
      await ack(store, job);
      await store.queueCountFailures({ queue: QUEUE, count: 1, now: T0 + 3 });
      expect(await store.queueDelete({ queue: QUEUE })).toBe(true);
      expect((await store.queueConfigure({ queue: QUEUE, config: {}, now: T0 + 4 })).totals).toEqual(NONE);
    });
  });
}
