/**
 * Dead jobs and their neighbours: jobCancel (unfinished jobs only), jobDelete (any state), and
 * queueRedrive (dead jobs back to waiting, all or by reason, bounded, with attempts reset and
 * the last error kept), and jobRetry (one dead job, the same way).
 */
import { describe, expect } from 'vitest';
import { JobFinishedError, JobNotFoundError, LeaseMismatchError } from '@docket/protocol';
import type { CaseContext } from '../case-registry.ts';
import { delayedJob, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { complete, drainIds, enqueueOne, lease, leaseOne, nackParams, reject } from '../support/store-actions.ts';

export function registerDeadCases(ctx: CaseContext): void {
  describe('cancel and delete', () => {
    ctx.test('cancel moves waiting, delayed and active jobs to dead cancelled', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob({ queue: 'busy' }));
      const active = await leaseOne(store, { queues: ['busy'], now: T0 + 1 });
      const waiting = await enqueueOne(store, newJob());
      const delayed = await enqueueOne(store, delayedJob(T0 + 5000));
      for (const { id } of [waiting, delayed, active]) {
        const cancelled = await store.jobCancel({ id, now: T0 + 10 });
        expect(cancelled).toMatchObject({ id, state: 'dead', deadReason: 'cancelled', finishedAt: T0 + 10 });
        expect(await store.jobGet({ id })).toEqual(cancelled);
      }
      const ack = store.jobAck({ id: active.id, token: active.leaseToken, now: T0 + 11, result: null });
      await expect(ack).rejects.toBeInstanceOf(LeaseMismatchError);
      await store.jobPromoteDue({ now: T0 + 6000, limit: 10 });
      expect(await drainIds(store, [QUEUE, 'busy'], T0 + 6000)).toEqual([]);
    });

    ctx.test('cancel of a completed or dead job is refused with JobFinishedError', async () => {
      const store = ctx.store();
      const done = await complete(store, await enqueueOne(store, newJob()), T0 + 1);
      const dead = await reject(store, await enqueueOne(store, newJob()), T0 + 2);
      for (const job of [done, dead]) {
        await expect(store.jobCancel({ id: job.id, now: T0 + 3 })).rejects.toBeInstanceOf(JobFinishedError);
        expect(await store.jobGet({ id: job.id })).toEqual(job);
      }
    });

    ctx.test('cancel of a missing job rejects with JobNotFoundError', async () => {
      await expect(ctx.store().jobCancel({ id: 'missing', now: T0 })).rejects.toBeInstanceOf(JobNotFoundError);
    });

    ctx.test('delete removes a job in any state and reports whether it existed', async () => {
      const store = ctx.store();
      const done = await complete(store, await enqueueOne(store, newJob()), T0 + 1);
      await enqueueOne(store, newJob());
      const active = await leaseOne(store, { queues: [QUEUE], now: T0 + 2 });
      const waiting = await enqueueOne(store, newJob());
      const delayed = await enqueueOne(store, delayedJob(T0 + 5000));
      for (const { id } of [done, active, waiting, delayed]) {
        expect(await store.jobDelete({ id })).toBe(true);
        expect(await store.jobGet({ id })).toBeNull();
        expect(await store.jobDelete({ id })).toBe(false);
      }
      expect(await store.queueStats({ queue: QUEUE })).toEqual({
        delayed: 0,
        waiting: 0,
        active: 0,
        completed: 0,
        dead: 0,
      });
    });
  });

  describe('redrive', () => {
    ctx.test('redrive moves every dead job back to waiting with attempts reset and the error kept', async () => {
      const store = ctx.store();
      const rejected = await reject(store, await enqueueOne(store, newJob()), T0 + 1);
      const cancelled = await store.jobCancel({ id: (await enqueueOne(store, newJob())).id, now: T0 + 2 });
      await enqueueOne(store, newJob());
      const last = await leaseOne(store, { queues: [QUEUE], now: T0 + 3 });
      const exhausted = await store.jobNack(
        nackParams(last, T0 + 3, { state: 'dead', reason: 'max-attempts' }, { kind: 'failure' }),
      );
      expect(await store.queueRedrive({ queue: QUEUE, reason: null, now: T0 + 500, limit: 100 })).toBe(3);
      for (const before of [rejected, cancelled, exhausted]) {
        const after = await store.jobGet({ id: before.id });
        expect(after).toMatchObject({
          state: 'waiting',
          attempts: 0,
          runAt: T0 + 500,
          deadReason: null,
          finishedAt: null,
        });
        expect(after?.error).toEqual(before.error);
      }
      expect(rejected.error).not.toBeNull();
      const leased = await lease(store, { queues: [QUEUE], now: T0 + 501, max: 5 });
      expect(leased.map((j) => j.attempts)).toEqual([1, 1, 1]);
    });

    ctx.test('jobRetry moves one dead job back to waiting as redrive does, and only a dead one', async () => {
      const store = ctx.store();
      const dead = await reject(store, await enqueueOne(store, newJob()), T0 + 1);
      const other = await reject(store, await enqueueOne(store, newJob()), T0 + 2);
      const waiting = await enqueueOne(store, newJob());
      const retried = await store.jobRetry({ id: dead.id, now: T0 + 10 });
      expect(retried).toMatchObject({
        id: dead.id,
        state: 'waiting',
        attempts: 0,
        runAt: T0 + 10,
        expiresAt: null,
        deadReason: null,
        finishedAt: null,
        error: dead.error,
      });
      expect(await store.jobGet({ id: dead.id })).toEqual(retried);
      expect((await store.jobGet({ id: other.id }))?.state).toBe('dead');
      expect(await store.jobRetry({ id: waiting.id, now: T0 + 11 })).toBeNull();
      expect(await store.jobGet({ id: waiting.id })).toEqual(waiting);
      expect(await store.jobRetry({ id: 'no-such-job', now: T0 + 11 })).toBeNull();
      expect(await drainIds(store, [QUEUE], T0 + 20)).toEqual([waiting.id, dead.id]);
    });

    ctx.test('redrive by reason moves only dead jobs of that reason', async () => {
      const store = ctx.store();
      const rejected = await reject(store, await enqueueOne(store, newJob()), T0 + 1);
      const cancelled = await store.jobCancel({ id: (await enqueueOne(store, newJob())).id, now: T0 + 2 });
      expect(await store.queueRedrive({ queue: QUEUE, reason: 'cancelled', now: T0 + 10, limit: 100 })).toBe(1);
      expect((await store.jobGet({ id: cancelled.id }))?.state).toBe('waiting');
      expect(await store.jobGet({ id: rejected.id })).toEqual(rejected);
    });

    ctx.test('redrive moves at most limit jobs per call and leaves other queues alone', async () => {
      const store = ctx.store();
      for (let i = 0; i < 3; i += 1) await reject(store, await enqueueOne(store, newJob()), T0 + 1);
      const other = await reject(store, await enqueueOne(store, newJob({ queue: 'other' })), T0 + 1);
      const redrive = () => store.queueRedrive({ queue: QUEUE, reason: null, now: T0 + 10, limit: 2 });
      expect(await redrive()).toBe(2);
      expect(await redrive()).toBe(1);
      expect(await redrive()).toBe(0);
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ waiting: 3, dead: 0 });
      expect(await store.jobGet({ id: other.id })).toEqual(other);
    });
  });
}
