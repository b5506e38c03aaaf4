/**
 * jobAck and jobNack: completing with a result, fencing by token (stale, wrong, repeated, on a
 * waiting job, on a missing job), nack placements (front, back, delay, dead) and their order in
 * the waiting line, the nacks/delayedNacks counters, and the recorded error.
 */
import { describe, expect } from 'vitest';
import { JobNotFoundError, LeaseMismatchError } from '@docket/protocol';
import type { CaseContext } from '../case-registry.ts';
import { jobError, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { drainIds, enqueue, enqueueOne, leaseOne, nackParams } from '../support/store-actions.ts';

export function registerJobAckNackCases(ctx: CaseContext): void {
  describe('job ack', () => {
    ctx.test('ack completes the job with its result and finish time', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const result = { ok: true, list: [1, 'two', null] };
      const acked = await store.jobAck({ id: leased.id, token: leased.leaseToken, now: T0 + 50, result });
      expect(acked).toMatchObject({ state: 'completed', result, finishedAt: T0 + 50, attempts: 1 });
      expect(await store.jobGet({ id: leased.id })).toEqual(acked);
    });

    ctx.test('a job leaving active drops its lease token and deadline', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob(), newJob(), newJob()]);
      const [a, b, c] = [
        await leaseOne(store, { queues: [QUEUE], now: T0 + 1 }),
        await leaseOne(store, { queues: [QUEUE], now: T0 + 1 }),
        await leaseOne(store, { queues: [QUEUE], now: T0 + 1 }),
      ];
      const after = [
        await store.jobAck({ id: a.id, token: a.leaseToken, now: T0 + 2, result: null }),
        await store.jobNack(nackParams(b, T0 + 2, { state: 'waiting', placement: 'back' })),
        await store.jobNack(nackParams(c, T0 + 2, { state: 'dead', reason: 'rejected' })),
      ];
      for (const job of after) expect(job).toMatchObject({ leaseToken: null, leaseExpiresAt: null });
    });

    ctx.test('ack with a stale token after a re-lease is refused and changes nothing', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const first = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      await store.jobNack(nackParams(first, T0 + 2, { state: 'waiting', placement: 'front' }));
      await leaseOne(store, { queues: [QUEUE], now: T0 + 3 });
      const before = await store.jobGet({ id: first.id });
      const ack = store.jobAck({ id: first.id, token: first.leaseToken, now: T0 + 4, result: 'late' });
      await expect(ack).rejects.toBeInstanceOf(LeaseMismatchError);
      expect(await store.jobGet({ id: first.id })).toEqual(before);
    });

    ctx.test('ack of a waiting job is refused and changes nothing', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, newJob());
      const ack = store.jobAck({ id: job.id, token: 'never-issued', now: T0 + 1, result: null });
      await expect(ack).rejects.toBeInstanceOf(LeaseMismatchError);
      expect(await store.jobGet({ id: job.id })).toEqual(job);
    });

    ctx.test('a second ack with the same token is refused and keeps the first result', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const acked = await store.jobAck({ id: leased.id, token: leased.leaseToken, now: T0 + 2, result: 'first' });
      const again = store.jobAck({ id: leased.id, token: leased.leaseToken, now: T0 + 3, result: 'second' });
      await expect(again).rejects.toBeInstanceOf(LeaseMismatchError);
      expect(await store.jobGet({ id: leased.id })).toEqual(acked);
    });

    ctx.test('ack and nack of a missing job reject with JobNotFoundError', async () => {
      const store = ctx.store();
      const ack = store.jobAck({ id: 'missing', token: 'any', now: T0, result: null });
      await expect(ack).rejects.toBeInstanceOf(JobNotFoundError);
      const nack = store.jobNack({
        id: 'missing',
        token: 'any',
        now: T0,
        target: { state: 'waiting', placement: 'front' },
        kind: 'placement',
        error: null,
        leaseExpiredOnly: false,
      });
      await expect(nack).rejects.toBeInstanceOf(JobNotFoundError);
    });
  });

  describe('job nack', () => {
    ctx.test('nack with a stale token is refused and changes nothing', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const first = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      await store.jobNack(nackParams(first, T0 + 2, { state: 'waiting', placement: 'back' }));
      await leaseOne(store, { queues: [QUEUE], now: T0 + 3 });
      const before = await store.jobGet({ id: first.id });
      const nack = store.jobNack(nackParams(first, T0 + 4, { state: 'dead', reason: 'rejected' }));
      await expect(nack).rejects.toBeInstanceOf(LeaseMismatchError);
      expect(await store.jobGet({ id: first.id })).toEqual(before);
    });

    ctx.test('nack to the front goes ahead of its priority but not ahead of higher priority', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob({ runAt: T0 }));
      const x = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const [a, b, high, low] = [
        newJob({ runAt: T0 - 5000 }),
        newJob({ runAt: T0 - 4000 }),
        newJob({ priority: 5, runAt: T0 + 2 }),
        newJob({ priority: -1, runAt: T0 - 9000 }),
      ];
      await enqueue(store, [a, b, high, low], T0 + 2);
      const nacked = await store.jobNack(nackParams(x, T0 + 3, { state: 'waiting', placement: 'front' }));
      expect(nacked.state).toBe('waiting');
      expect(await drainIds(store, [QUEUE], T0 + 4)).toEqual([high.id, x.id, a.id, b.id, low.id]);
    });

    ctx.test('a later nack to the front goes ahead of an earlier one', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob(), newJob(), newJob()]);
      const x = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const y = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const rest = await drainIds(store, [QUEUE], T0 + 1);
      expect(rest).toHaveLength(1);
      await store.jobNack(nackParams(x, T0 + 2, { state: 'waiting', placement: 'front' }));
      await store.jobNack(nackParams(y, T0 + 3, { state: 'waiting', placement: 'front' }));
      expect(await drainIds(store, [QUEUE], T0 + 4)).toEqual([y.id, x.id]);
    });

    ctx.test('nack to the back goes behind jobs already waiting', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const x = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const a = await enqueueOne(store, newJob({ createdAt: T0 + 10, runAt: T0 + 10 }), T0 + 10);
      const b = await enqueueOne(store, newJob({ createdAt: T0 + 20, runAt: T0 + 20 }), T0 + 20);
      await store.jobNack(nackParams(x, T0 + 30, { state: 'waiting', placement: 'back' }));
      expect(await drainIds(store, [QUEUE], T0 + 40)).toEqual([a.id, b.id, x.id]);
    });

    ctx.test('nack to the back goes behind a job that became ready in the same millisecond', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const x = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const a = await enqueueOne(store, newJob({ createdAt: T0 + 50, runAt: T0 + 50 }), T0 + 50);
      await store.jobNack(nackParams(x, T0 + 50, { state: 'waiting', placement: 'back' }));
      expect(await drainIds(store, [QUEUE], T0 + 60)).toEqual([a.id, x.id]);
    });

    ctx.test('nack with a delay keeps the job delayed until it is promoted', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const x = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const nacked = await store.jobNack(nackParams(x, T0 + 2, { state: 'delayed', runAt: T0 + 5000 }));
      expect(nacked).toMatchObject({ state: 'delayed', runAt: T0 + 5000 });
      expect(await drainIds(store, [QUEUE], T0 + 5000)).toEqual([]);
      expect((await store.jobPromoteDue({ now: T0 + 5000, limit: 10 })).map((j) => j.id)).toEqual([x.id]);
      expect(await drainIds(store, [QUEUE], T0 + 5000)).toEqual([x.id]);
    });

    ctx.test('nack to dead records the reason and finish time', async () => {
      const store = ctx.store();
      const reasons = ['rejected', 'max-attempts', 'timeout'] as const;
      await enqueue(
        store,
        reasons.map(() => newJob()),
      );
      for (const reason of reasons) {
        const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
        const dead = await store.jobNack(nackParams(leased, T0 + 7, { state: 'dead', reason }, { kind: 'failure' }));
        expect(dead).toMatchObject({ state: 'dead', deadReason: reason, finishedAt: T0 + 7 });
        expect(await store.jobGet({ id: leased.id })).toEqual(dead);
      }
      expect(await drainIds(store, [QUEUE], T0 + 8)).toEqual([]);
    });

    ctx.test('placement nacks count in nacks, delays also in delayedNacks, failures in neither', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob());
      const first = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const afterFront = await store.jobNack(nackParams(first, T0 + 2, { state: 'waiting', placement: 'front' }));
      expect(afterFront).toMatchObject({ nacks: 1, delayedNacks: 0 });
      const second = await leaseOne(store, { queues: [QUEUE], now: T0 + 3 });
      const afterDelay = await store.jobNack(nackParams(second, T0 + 4, { state: 'delayed', runAt: T0 + 10 }));
      expect(afterDelay).toMatchObject({ nacks: 2, delayedNacks: 1 });
      await store.jobPromoteDue({ now: T0 + 10, limit: 10 });
      const third = await leaseOne(store, { queues: [QUEUE], now: T0 + 11 });
      const failure = nackParams(third, T0 + 12, { state: 'delayed', runAt: T0 + 20 }, { kind: 'failure' });
      expect(await store.jobNack(failure)).toMatchObject({ nacks: 2, delayedNacks: 1, attempts: 3 });
    });

    ctx.test('nack records the error given, for placements and failures alike', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob(), newJob()]);
      const a = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const b = await leaseOne(store, { queues: [QUEUE], now: T0 + 1 });
      const placementError = jobError('handing back', T0 + 2, 1);
      const failureError = { message: 'boom', at: T0 + 3, attempt: 1 };
      const target = { state: 'delayed', runAt: T0 + 100 } as const;
      const nackedA = await store.jobNack(nackParams(a, T0 + 2, target, { error: placementError }));
      const nackedB = await store.jobNack(nackParams(b, T0 + 3, target, { kind: 'failure', error: failureError }));
      expect(nackedA.error).toEqual(placementError);
      expect(nackedB.error).toEqual(failureError);
      expect((await store.jobGet({ id: b.id }))?.error).toEqual(failureError);
    });
  });
}
