/**
 * jobAttempts: every applied nack (a failure, the reaper's, a placement; single or batch) appends
 * the attempt it ended to the job's history, bounded to the latest MAX_ATTEMPT_HISTORY with the
 * dropped ones counted; a lease or an ack writes nothing; redrive and retry keep the history;
 * delete, purge and retention remove it with the job (a new job under the same id starts empty).
 */
import { describe, expect } from 'vitest';
import { limits, type JobAttempts } from '@docket/protocol';
import type { Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { jobError, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { complete, enqueueOne, leaseOne, nackParams, reject } from '../support/store-actions.ts';

const NONE: JobAttempts = { attempts: [], dropped: 0 };

async function history(store: Store, id: string): Promise<JobAttempts | null> {
  return store.jobAttempts({ id });
}

export function registerAttemptHistoryCases(ctx: CaseContext): void {
  describe('attempt history', () => {
    ctx.test('a failed nack records the attempt with its worker, error, stack and retry delay', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, newJob());
      expect(await history(store, job.id)).toEqual(NONE);
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1, worker: 'w-1' });
      expect(await history(store, job.id)).toEqual(NONE);
      const error = jobError('boom', T0 + 5, 1);
      await store.jobNack(
        nackParams(leased, T0 + 5, { state: 'delayed', runAt: T0 + 1005 }, { kind: 'failure', error }),
      );
      expect(await history(store, job.id)).toEqual({
        attempts: [
          {
            attempt: 1,
            leasedAt: T0 + 1,
            endedAt: T0 + 5,
            outcome: 'failed',
            worker: 'w-1',
            error: { message: 'boom', stack: error.stack },
            next: 'delayed',
            retryDelayMs: 1000,
          },
        ],
        dropped: 0,
      });
    });

    ctx.test('a lease expiry, a release and a death are recorded in order', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, newJob());
      const first = await leaseOne(store, { queues: [QUEUE], now: T0 + 1, leaseMs: 1000 });
      const expired = jobError('lease expired', T0 + 1001, 1);
      await store.jobNack(
        nackParams(
          first,
          T0 + 1001,
          { state: 'waiting', placement: 'back' },
          { kind: 'failure', error: expired, leaseExpiredOnly: true },
        ),
      );
      const second = await leaseOne(store, { queues: [QUEUE], now: T0 + 2000 });
      await store.jobNack(nackParams(second, T0 + 2001, { state: 'waiting', placement: 'front' }));
      const third = await leaseOne(store, { queues: [QUEUE], now: T0 + 3000 });
      const fatal = await store.jobNack(
        nackParams(
          third,
          T0 + 3001,
          { state: 'dead', reason: 'rejected' },
          { kind: 'failure', error: { message: 'no stack', at: T0 + 3001, attempt: 3 } },
        ),
      );
      expect(fatal.state).toBe('dead');
      expect(await history(store, job.id)).toEqual({
        attempts: [
          {
            attempt: 1,
            leasedAt: T0 + 1,
            endedAt: T0 + 1001,
            outcome: 'lease-expired',
            worker: null,
            error: { message: 'lease expired', stack: expired.stack },
            next: 'waiting',
            retryDelayMs: 0,
          },
          {
            attempt: 2,
            leasedAt: T0 + 2000,
            endedAt: T0 + 2001,
            outcome: 'released',
            worker: null,
            error: null,
            next: 'waiting',
            retryDelayMs: 0,
          },
          {
            attempt: 3,
            leasedAt: T0 + 3000,
            endedAt: T0 + 3001,
            outcome: 'failed',
            worker: null,
            error: { message: 'no stack' },
            next: 'dead',
            retryDelayMs: null,
          },
        ],
        dropped: 0,
      });
    });

    ctx.test('a successful attempt adds nothing and a missing job has no history', async () => {
      const store = ctx.store();
      const done = await complete(store, await enqueueOne(store, newJob()), T0 + 1);
      expect(done.state).toBe('completed');
      expect(await history(store, done.id)).toEqual(NONE);
      expect(await history(store, 'missing')).toBeNull();
    });

    ctx.test('a batch nack records each applied item and nothing for a refused one', async () => {
      const store = ctx.store();
      const a = await enqueueOne(store, newJob());
      const b = await enqueueOne(store, newJob());
      const first = await leaseOne(store, { queues: [QUEUE], now: T0 + 1, worker: 'w-2' });
      const second = await leaseOne(store, { queues: [QUEUE], now: T0 + 2, worker: 'w-2' });
      const outcomes = await store.jobNackMany({
        now: T0 + 10,
        nacks: [
          { ...nackParams(first, T0 + 10, { state: 'delayed', runAt: T0 + 60 }) },
          { ...nackParams(second, T0 + 10, { state: 'waiting', placement: 'back' }, { token: 'stale' }) },
          {
            ...nackParams(
              second,
              T0 + 10,
              { state: 'dead', reason: 'max-attempts' },
              { kind: 'failure', error: jobError('tired', T0 + 10, 1) },
            ),
          },
        ],
      });
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
      const [ofA, ofB] = await Promise.all([history(store, a.id), history(store, b.id)]);
      expect(ofA?.attempts).toEqual([
        expect.objectContaining({ attempt: 1, outcome: 'released', next: 'delayed', retryDelayMs: 50, worker: 'w-2' }),
      ]);
      expect(ofB?.attempts).toEqual([
        expect.objectContaining({
          attempt: 1,
          outcome: 'failed',
          next: 'dead',
          error: { message: 'tired', stack: jobError('tired', T0 + 10, 1).stack },
        }),
      ]);
    });

    ctx.test('the history keeps the latest MAX_ATTEMPT_HISTORY attempts and counts the dropped', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, newJob({ maxAttempts: 1000 }));
      const total = limits.MAX_ATTEMPT_HISTORY + 3;
      for (let i = 1; i <= total; i++) {
        const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + i * 10 });
        await store.jobNack(
          nackParams(
            leased,
            T0 + i * 10 + 1,
            { state: 'waiting', placement: 'front' },
            { kind: 'failure', error: jobError(`fail ${i}`, T0 + i * 10 + 1, i) },
          ),
        );
      }
      const kept = await history(store, job.id);
      expect(kept?.dropped).toBe(3);
      expect(kept?.attempts.map((a) => a.attempt)).toEqual(
        Array.from({ length: limits.MAX_ATTEMPT_HISTORY }, (_, i) => i + 4),
      );
      expect(kept?.attempts.at(-1)?.error?.message).toBe(`fail ${total}`);
    });

    ctx.test('redrive and retry keep the history', async () => {
      const store = ctx.store();
      const job = await reject(store, await enqueueOne(store, newJob()), T0 + 1);
      const before = await history(store, job.id);
      expect(before?.attempts).toHaveLength(1);
      expect(await store.queueRedrive({ queue: QUEUE, reason: null, now: T0 + 2, limit: 10 })).toBe(1);
      expect(await history(store, job.id)).toEqual(before);
      await reject(store, job, T0 + 3);
      expect(await store.jobRetry({ id: job.id, now: T0 + 4 })).not.toBeNull();
      const after = await history(store, job.id);
      expect(after?.attempts.map((a) => [a.attempt, a.endedAt])).toEqual([
        [1, T0 + 1],
        [1, T0 + 3],
      ]);
    });

    ctx.test('delete, purge and retention remove the history with the job', async () => {
      const store = ctx.store();
      const failedOnce = async (id: string, at: number): Promise<void> => {
        await enqueueOne(store, newJob({ id }), at);
        const leased = await leaseOne(store, { queues: [QUEUE], now: at + 1 });
        await store.jobNack(nackParams(leased, at + 2, { state: 'waiting', placement: 'front' }));
        expect((await history(store, id))?.attempts).toHaveLength(1);
      };
      const id = `reused-${T0}`;
      await failedOnce(id, T0);
      expect(await store.jobDelete({ id })).toBe(true);
      expect(await history(store, id)).toBeNull();
      await failedOnce(id, T0 + 100);
      expect(await store.queuePurge({ queue: QUEUE, states: null, resetTotals: false })).toBe(1);
      expect(await history(store, id)).toBeNull();
      await failedOnce(id, T0 + 200);
      const again = await store.jobGet({ id });
      if (again === null) throw new Error('expected the job');
      await complete(store, again, T0 + 300);
      const retained = { queue: QUEUE, completedBefore: T0 + 301, completedKeep: 0, deadBefore: 0, limit: 10 };
      expect(await store.jobDeleteRetained(retained)).toBe(1);
      expect(await history(store, id)).toBeNull();
      await enqueueOne(store, newJob({ id }), T0 + 400);
      expect(await history(store, id)).toEqual(NONE);
    });
  });
}
