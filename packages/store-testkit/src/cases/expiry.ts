/**
 * Expiry beats everything: jobExpireDue moves unfinished jobs past expiresAt to dead
 * (`expired`), and ack, nack or extend of a job past expiresAt is refused with JobExpiredError,
 * leaving the job dead (`expired`) whether or not the sweep ran first.
 */
import { describe, expect } from 'vitest';
import { JobExpiredError } from '@docket/protocol';
import type { CaseContext } from '../case-registry.ts';
import { delayedJob, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { complete, enqueue, enqueueOne, leaseOne, nackParams } from '../support/store-actions.ts';

const EXPIRES_AT = T0 + 100;

export function registerExpiryCases(ctx: CaseContext): void {
  describe('expiry', () => {
    ctx.test('the sweep moves waiting, delayed and active jobs past expiresAt to dead expired', async () => {
      const store = ctx.store();
      const active = await enqueueOne(store, newJob({ expiresAt: EXPIRES_AT, priority: 10 }));
      expect((await leaseOne(store, { queues: [QUEUE], now: T0 + 1 })).id).toBe(active.id);
      const [waiting, delayed, later, never] = [
        newJob({ expiresAt: EXPIRES_AT }),
        delayedJob(T0 + 5000, { expiresAt: EXPIRES_AT }),
        newJob({ expiresAt: EXPIRES_AT + 1 }),
        newJob(),
      ];
      await enqueue(store, [waiting, delayed, later, never], T0 + 2);
      const swept = await store.jobExpireDue({ now: EXPIRES_AT, limit: 10 });
      expect(swept.map((j) => j.id).sort()).toEqual([active.id, waiting.id, delayed.id].sort());
      for (const job of swept) {
        expect(job).toMatchObject({ state: 'dead', deadReason: 'expired', finishedAt: EXPIRES_AT });
        expect(await store.jobGet({ id: job.id })).toEqual(job);
      }
      for (const job of [later, never]) expect((await store.jobGet({ id: job.id }))?.state).toBe('waiting');
      expect(await store.jobLeaseExpired({ now: T0 + 100_000, limit: 10 })).toEqual([]);
    });

    ctx.test('the sweep moves at most limit jobs and never returns a job twice', async () => {
      const store = ctx.store();
      await enqueue(
        store,
        [1, 2, 3].map(() => newJob({ expiresAt: EXPIRES_AT })),
      );
      const first = await store.jobExpireDue({ now: EXPIRES_AT, limit: 2 });
      const second = await store.jobExpireDue({ now: EXPIRES_AT, limit: 2 });
      expect(first).toHaveLength(2);
      expect(second).toHaveLength(1);
      expect(new Set([...first, ...second].map((j) => j.id)).size).toBe(3);
      expect(await store.jobExpireDue({ now: EXPIRES_AT + 1000, limit: 2 })).toEqual([]);
    });

    ctx.test('the sweep leaves completed jobs alone', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, newJob({ expiresAt: EXPIRES_AT }));
      const done = await complete(store, job, T0 + 50);
      expect(await store.jobExpireDue({ now: EXPIRES_AT + 1000, limit: 10 })).toEqual([]);
      expect(await store.jobGet({ id: job.id })).toEqual(done);
    });

    ctx.test('ack of an active job past expiresAt is refused and leaves it dead expired', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob({ expiresAt: EXPIRES_AT }));
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const ack = store.jobAck({ id: leased.id, token: leased.leaseToken, now: EXPIRES_AT, result: 'too late' });
      await expect(ack).rejects.toBeInstanceOf(JobExpiredError);
      expect(await store.jobGet({ id: leased.id })).toMatchObject({
        state: 'dead',
        deadReason: 'expired',
        result: null,
      });
    });

    ctx.test('ack after the expiry sweep is refused with JobExpiredError', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob({ expiresAt: EXPIRES_AT }));
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      await store.jobExpireDue({ now: EXPIRES_AT, limit: 10 });
      const swept = await store.jobGet({ id: leased.id });
      const ack = store.jobAck({ id: leased.id, token: leased.leaseToken, now: EXPIRES_AT + 5, result: null });
      await expect(ack).rejects.toBeInstanceOf(JobExpiredError);
      expect(await store.jobGet({ id: leased.id })).toEqual(swept);
    });

    ctx.test('nack and extend past expiresAt are refused and leave the job dead expired', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob({ expiresAt: EXPIRES_AT }), newJob({ expiresAt: EXPIRES_AT })]);
      const a = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const b = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const nack = store.jobNack(nackParams(a, EXPIRES_AT, { state: 'waiting', placement: 'front' }));
      await expect(nack).rejects.toBeInstanceOf(JobExpiredError);
      const extend = store.jobExtend({ id: b.id, token: b.leaseToken, now: EXPIRES_AT + 1, leaseMs: 30_000 });
      await expect(extend).rejects.toBeInstanceOf(JobExpiredError);
      for (const id of [a.id, b.id]) {
        expect(await store.jobGet({ id })).toMatchObject({ state: 'dead', deadReason: 'expired' });
      }
    });
  });
}
