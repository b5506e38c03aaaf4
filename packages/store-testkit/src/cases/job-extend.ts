/**
 * Lease deadlines: jobExtend (new deadline, timeoutMs cap, fencing) and reaping
 * (jobLeaseExpired lists run-out leases without changing them; a nack with leaseExpiredOnly
 * applies only once the lease has run out).
 */
import { describe, expect } from 'vitest';
import { JobNotFoundError, LeaseMismatchError, type LeasedJob } from '@docket/protocol';
import type { CaseContext } from '../case-registry.ts';
import { jobError, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { enqueueOne, leaseOne, nackParams } from '../support/store-actions.ts';

export function registerJobExtendCases(ctx: CaseContext): void {
  describe('job extend', () => {
    ctx.test('extend moves the deadline to now plus leaseMs and keeps the token', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const extended = await store.jobExtend({
        id: leased.id,
        token: leased.leaseToken,
        now: T0 + 20_000,
        leaseMs: 30_000,
      });
      expect(extended).toMatchObject({
        state: 'active',
        leaseToken: leased.leaseToken,
        leaseExpiresAt: T0 + 50_000,
        attempts: 1,
        attemptStartedAt: T0 + 1,
      });
      expect(await store.jobGet({ id: leased.id })).toEqual(extended);
    });

    ctx.test('extend never moves the deadline past attemptStartedAt plus timeoutMs', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob({ leaseMs: 3000, timeoutMs: 10_000 }));
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      expect(leased.leaseExpiresAt).toBe(T0 + 3001);
      const token = leased.leaseToken;
      const within = await store.jobExtend({ id: leased.id, token, now: T0 + 2000, leaseMs: 3000 });
      expect(within.leaseExpiresAt).toBe(T0 + 5000);
      const capped = await store.jobExtend({ id: leased.id, token, now: T0 + 8000, leaseMs: 5000 });
      expect(capped.leaseExpiresAt).toBe(T0 + 1 + 10_000);
    });

    ctx.test('extend with a stale token is refused and changes nothing', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const first = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      await store.jobNack(nackParams(first, T0 + 2, { state: 'waiting', placement: 'front' }));
      await leaseOne(store, { queues: [QUEUE], now: T0 + 3 });
      const before = await store.jobGet({ id: first.id });
      const extend = store.jobExtend({ id: first.id, token: first.leaseToken, now: T0 + 4, leaseMs: 60_000 });
      await expect(extend).rejects.toBeInstanceOf(LeaseMismatchError);
      expect(await store.jobGet({ id: first.id })).toEqual(before);
    });

    ctx.test('extend of a completed job is refused', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const acked = await store.jobAck({ id: leased.id, token: leased.leaseToken, now: T0 + 2, result: null });
      const extend = store.jobExtend({ id: leased.id, token: leased.leaseToken, now: T0 + 3, leaseMs: 1000 });
      await expect(extend).rejects.toBeInstanceOf(LeaseMismatchError);
      expect(await store.jobGet({ id: leased.id })).toEqual(acked);
    });

    ctx.test('extend of a missing job rejects with JobNotFoundError', async () => {
      const extend = ctx.store().jobExtend({ id: 'missing', token: 'any', now: T0, leaseMs: 1000 });
      await expect(extend).rejects.toBeInstanceOf(JobNotFoundError);
    });
  });

  describe('lease reaping', () => {
    ctx.test('run-out leases are listed oldest deadline first and left untouched', async () => {
      const store = ctx.store();
      const leaseMsByJob = [3000, 1000, 2000, 10_000];
      const leased: LeasedJob[] = [];
      for (const leaseMs of leaseMsByJob) {
        await enqueueOne(store, newJob({ leaseMs }));
        leased.push(await leaseOne(store, { queues: [QUEUE], now: T0 }));
      }
      const [a, b, c] = leased;
      const expired = await store.jobLeaseExpired({ now: T0 + 3000, limit: 10 });
      expect(expired.map((j) => j.id)).toEqual([b?.id, c?.id, a?.id]);
      for (const job of expired) expect(await store.jobGet({ id: job.id })).toEqual(job);
      expect(expired.map((j) => j.leaseToken)).toEqual([b?.leaseToken, c?.leaseToken, a?.leaseToken]);
      const limited = await store.jobLeaseExpired({ now: T0 + 3000, limit: 2 });
      expect(limited.map((j) => j.id)).toEqual([b?.id, c?.id]);
    });

    ctx.test('an extended lease is no longer listed as run out', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob({ leaseMs: 1000 }));
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 });
      await store.jobExtend({ id: leased.id, token: leased.leaseToken, now: T0 + 500, leaseMs: 5000 });
      expect(await store.jobLeaseExpired({ now: T0 + 2000, limit: 10 })).toEqual([]);
      expect((await store.jobLeaseExpired({ now: T0 + 5500, limit: 10 })).map((j) => j.id)).toEqual([leased.id]);
    });

    ctx.test('a reaper nack applies once the lease has run out', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob({ leaseMs: 1000 }));
      await leaseOne(store, { queues: [QUEUE], now: T0 });
      const [listed] = await store.jobLeaseExpired({ now: T0 + 1000, limit: 10 });
      if (listed === undefined) throw new Error('the run-out lease was not listed');
      const error = jobError('lease ran out', T0 + 1000, 1);
      const reaped = await store.jobNack(
        nackParams(
          listed,
          T0 + 1000,
          { state: 'delayed', runAt: T0 + 3000 },
          {
            kind: 'failure',
            error,
            leaseExpiredOnly: true,
          },
        ),
      );
      expect(reaped).toMatchObject({ state: 'delayed', runAt: T0 + 3000, attempts: 1, error, nacks: 0 });
      expect(await store.jobLeaseExpired({ now: T0 + 5000, limit: 10 })).toEqual([]);
    });

    ctx.test('a reaper nack is refused while the lease still runs and changes nothing', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob({ leaseMs: 1000 }));
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 });
      const reap = store.jobNack(
        nackParams(
          leased,
          T0 + 999,
          { state: 'delayed', runAt: T0 + 3000 },
          { kind: 'failure', leaseExpiredOnly: true },
        ),
      );
      await expect(reap).rejects.toBeInstanceOf(LeaseMismatchError);
      expect(await store.jobGet({ id: leased.id })).toEqual(leased);
    });
  });
}
