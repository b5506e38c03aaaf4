/**
 * The rate-limited nack (`rateLimited` on a placement to `delayed`, docs/state-machine.md#flow-control):
 * the job goes back to `delayed` at the given time and gives its lease back, so `attempts` is what
 * it was before the lease and no attempt-history entry is written; it counts in `nacks` and
 * `delayedNacks`. The lease token fences it as any nack, single or batch. A job of a FIFO group
 * given back this way still holds its group until it ran again, even after a first lease.
 */
import { describe, expect } from 'vitest';
import { LeaseMismatchError, type LeasedJob } from '@docket/protocol';
import type { JobNackItem, JobNackParams, Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { freshTokens, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { enqueue, enqueueOne, leaseOne, nackParams } from '../support/store-actions.ts';

const NONE = { attempts: [], dropped: 0 };

/** A rate-limited nack of `job` at `now`, due again at `runAt`. */
function rateLimited(job: LeasedJob, now: number, runAt: number): JobNackParams {
  return { ...nackParams(job, now, { state: 'delayed', runAt }), rateLimited: true };
}

/** A batch item: the params without `now`, which the batch gives once. */
function item({ now: _now, ...rest }: JobNackParams): JobNackItem {
  return rest;
}

async function leaseAll(store: Store, now: number): Promise<LeasedJob[]> {
  const result = await store.jobLease({
    queues: [QUEUE],
    max: 10,
    now,
    leaseMs: null,
    worker: null,
    tokens: freshTokens(10),
  });
  return [...result];
}

export function registerRateLimitedNackCases(ctx: CaseContext): void {
  describe('rate-limited nack', () => {
    ctx.test('gives the lease back: delayed at its time, attempts unchanged, no history entry', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, newJob({ maxAttempts: 1 }));
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      expect(leased.attempts).toBe(1);
      const given = await store.jobNack(rateLimited(leased, T0 + 2, T0 + 5_002));
      expect(given).toMatchObject({
        state: 'delayed',
        runAt: T0 + 5_002,
        attempts: 0,
        nacks: 1,
        delayedNacks: 1,
        leaseToken: null,
        leaseExpiresAt: null,
      });
      expect(await store.jobGet({ id: job.id })).toEqual(given);
      expect(await store.jobAttempts({ id: job.id })).toEqual(NONE);
      expect(await store.jobPromoteDue({ now: T0 + 5_001, limit: 10 })).toEqual([]);
      expect(await store.jobPromoteDue({ now: T0 + 5_002, limit: 10 })).toHaveLength(1);
      const again = await leaseOne(store, { queues: [QUEUE], now: T0 + 5_003 });
      expect(again).toMatchObject({ id: job.id, attempts: 1 });
    });

    ctx.test('given back many times, a job never spends its attempts', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, newJob({ maxAttempts: 2 }));
      let now = T0;
      for (let round = 1; round <= 4; round += 1) {
        const leased = await leaseOne(store, { queues: [QUEUE], now: now + 1 });
        expect(leased.attempts).toBe(1);
        await store.jobNack(rateLimited(leased, now + 2, now + 10));
        await store.jobPromoteDue({ now: now + 10, limit: 10 });
        now += 10;
      }
      expect(await store.jobGet({ id: job.id })).toMatchObject({
        state: 'waiting',
        attempts: 0,
        nacks: 4,
        delayedNacks: 4,
      });
    });

    ctx.test('a stale token is refused and changes nothing', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const first = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      await store.jobNack(nackParams(first, T0 + 2, { state: 'waiting', placement: 'front' }));
      await leaseOne(store, { queues: [QUEUE], now: T0 + 3 });
      const before = await store.jobGet({ id: first.id });
      await expect(store.jobNack(rateLimited(first, T0 + 4, T0 + 1_000))).rejects.toBeInstanceOf(LeaseMismatchError);
      expect(await store.jobGet({ id: first.id })).toEqual(before);
      const [outcome] = await store.jobNackMany({
        nacks: [item(rateLimited(first, T0 + 4, T0 + 1_000))],
        now: T0 + 4,
      });
      expect(outcome).toMatchObject({ ok: false });
      expect(await store.jobGet({ id: first.id })).toEqual(before);
    });

    ctx.test('in a batch, only the rate-limited items give their lease back', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob({ data: 'limited' }), newJob({ data: 'plain' })]);
      const [limited, plain] = (await leaseAll(store, T0 + 1)) as [LeasedJob, LeasedJob];
      const outcomes = await store.jobNackMany({
        nacks: [
          item(rateLimited(limited, T0 + 2, T0 + 3_000)),
          item(nackParams(plain, T0 + 2, { state: 'delayed', runAt: T0 + 3_000 })),
        ],
        now: T0 + 2,
      });
      expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
      expect(await store.jobGet({ id: limited.id })).toMatchObject({
        state: 'delayed',
        runAt: T0 + 3_000,
        attempts: 0,
      });
      expect(await store.jobGet({ id: plain.id })).toMatchObject({ state: 'delayed', runAt: T0 + 3_000, attempts: 1 });
      expect(await store.jobAttempts({ id: limited.id })).toEqual(NONE);
      expect((await store.jobAttempts({ id: plain.id }))?.attempts).toHaveLength(1);
    });

    ctx.test('a FIFO group job given back after its first lease holds its group until it ran again', async () => {
      const store = ctx.store();
      await store.queueConfigure({ queue: QUEUE, config: { groupConcurrency: 1 }, now: T0 });
      await enqueue(store, [newJob({ data: 'a1', group: 'a' }), newJob({ data: 'a2', group: 'a' })]);
      const [a1] = (await leaseAll(store, T0 + 1)) as [LeasedJob];
      expect(a1.data).toBe('a1');
      await store.jobNack(rateLimited(a1, T0 + 2, T0 + 1_000));
      expect(await store.queueGroups({ queue: QUEUE, limit: 10 })).toEqual([{ group: 'a', waiting: 1, held: 1 }]);
      expect(await leaseAll(store, T0 + 3)).toEqual([]);
      expect(await store.jobPromoteDue({ now: T0 + 1_000, limit: 10 })).toHaveLength(1);
      expect(await store.queueGroups({ queue: QUEUE, limit: 10 })).toEqual([{ group: 'a', waiting: 2, held: 0 }]);
      const retried = await leaseAll(store, T0 + 1_001);
      expect(retried.map((job) => [job.data, job.attempts])).toEqual([['a1', 1]]);
      await store.jobAck({ id: a1.id, token: (retried[0] as LeasedJob).leaseToken, now: T0 + 1_002, result: null });
      expect((await leaseAll(store, T0 + 1_003)).map((job) => job.data)).toEqual(['a2']);
      expect(await store.queueGroups({ queue: QUEUE, limit: 10 })).toEqual([{ group: 'a', waiting: 0, held: 1 }]);
    });
  });
}
