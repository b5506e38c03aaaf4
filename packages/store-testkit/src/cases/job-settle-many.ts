/**
 * jobAckMany and jobNackMany: one outcome per item in request order, each item applied as its
 * single form would be (results, placements, failures, the expiry rule), and refusals kept with
 * their item without stopping the others or changing anything.
 */
import { describe, expect } from 'vitest';
import { JobExpiredError, JobNotFoundError, LeaseMismatchError } from '@docket/protocol';
import { errorOf, jobOf } from '../support/outcomes.ts';
import type { CaseContext } from '../case-registry.ts';
import { jobError, newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { drainIds, enqueue, lease, nackParams } from '../support/store-actions.ts';

const EXPIRES_AT = T0 + 10_000;

export function registerJobSettleManyCases(ctx: CaseContext): void {
  describe('job ack many', () => {
    ctx.test('ackMany completes every job with its own result, in request order', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob(), newJob(), newJob()]);
      const leased = await lease(store, { queues: [QUEUE], now: T0 + 1, max: 3 });
      const acks = [...leased].reverse().map((job, i) => ({ id: job.id, token: job.leaseToken, result: { i } }));
      const outcomes = await store.jobAckMany({ acks, now: T0 + 5 });
      expect(outcomes).toHaveLength(3);
      for (const [i, ack] of acks.entries()) {
        const job = jobOf(outcomes[i]);
        expect(job).toMatchObject({ id: ack.id, state: 'completed', result: { i }, finishedAt: T0 + 5 });
        expect(await store.jobGet({ id: ack.id })).toEqual(job);
      }
    });

    ctx.test('ackMany keeps each refusal with its item and completes the others', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob(), newJob(), newJob({ expiresAt: EXPIRES_AT }), newJob()]);
      const [ok, stale, expiring] = await lease(store, { queues: [QUEUE], now: T0 + 1, max: 3 });
      const [waitingLeft] = (await store.jobList({ queue: QUEUE, state: 'waiting', limit: 1, cursor: null })).items;
      if (ok === undefined || stale === undefined || expiring === undefined || waitingLeft === undefined) {
        throw new Error('expected three leased jobs and one waiting');
      }
      const staleBefore = await store.jobGet({ id: stale.id });
      const waitingBefore = await store.jobGet({ id: waitingLeft.id });
      const outcomes = await store.jobAckMany({
        now: EXPIRES_AT,
        acks: [
          { id: 'missing', token: 'any', result: null },
          { id: ok.id, token: ok.leaseToken, result: 'done' },
          { id: stale.id, token: 'not-the-token', result: null },
          { id: expiring.id, token: expiring.leaseToken, result: 'too late' },
          { id: waitingLeft.id, token: 'never-issued', result: null },
        ],
      });
      expect(errorOf(outcomes[0])).toBeInstanceOf(JobNotFoundError);
      expect(jobOf(outcomes[1])).toMatchObject({ id: ok.id, state: 'completed', result: 'done' });
      expect(errorOf(outcomes[2])).toBeInstanceOf(LeaseMismatchError);
      expect(errorOf(outcomes[3])).toBeInstanceOf(JobExpiredError);
      expect(errorOf(outcomes[4])).toBeInstanceOf(LeaseMismatchError);
      expect(await store.jobGet({ id: stale.id })).toEqual(staleBefore);
      expect(await store.jobGet({ id: waitingLeft.id })).toEqual(waitingBefore);
      expect(await store.jobGet({ id: expiring.id })).toMatchObject({
        state: 'dead',
        deadReason: 'expired',
        result: null,
      });
    });

    ctx.test('ackMany with one job twice completes it once and refuses the repeat', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob()]);
      const [job] = await lease(store, { queues: [QUEUE], now: T0 + 1 });
      if (job === undefined) throw new Error('expected a leased job');
      const outcomes = await store.jobAckMany({
        now: T0 + 2,
        acks: [
          { id: job.id, token: job.leaseToken, result: 'first' },
          { id: job.id, token: job.leaseToken, result: 'second' },
        ],
      });
      expect(jobOf(outcomes[0])).toMatchObject({ state: 'completed', result: 'first' });
      expect(errorOf(outcomes[1])).toBeInstanceOf(LeaseMismatchError);
      expect(await store.jobGet({ id: job.id })).toMatchObject({ state: 'completed', result: 'first' });
    });

    ctx.test('ackMany and nackMany of no items answer an empty list', async () => {
      const store = ctx.store();
      expect(await store.jobAckMany({ acks: [], now: T0 })).toEqual([]);
      expect(await store.jobNackMany({ nacks: [], now: T0 })).toEqual([]);
    });
  });

  describe('job nack many', () => {
    ctx.test('nackMany applies each target: front, back, delayed and dead with its error', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob(), newJob(), newJob(), newJob(), newJob()]);
      const [front, back, delayed, dead] = await lease(store, { queues: [QUEUE], now: T0 + 1, max: 4 });
      if (front === undefined || back === undefined || delayed === undefined || dead === undefined) {
        throw new Error('expected four leased jobs');
      }
      const now = T0 + 10;
      const error = jobError('handler failed', now, dead.attempts);
      const outcomes = await store.jobNackMany({
        now,
        nacks: [
          { ...nackParams(front, now, { state: 'waiting', placement: 'front' }) },
          { ...nackParams(back, now, { state: 'waiting', placement: 'back' }) },
          { ...nackParams(delayed, now, { state: 'delayed', runAt: now + 5_000 }) },
          { ...nackParams(dead, now, { state: 'dead', reason: 'rejected' }, { kind: 'failure', error }) },
        ],
      });
      expect(jobOf(outcomes[0])).toMatchObject({ state: 'waiting', nacks: 1, leaseToken: null });
      expect(jobOf(outcomes[1])).toMatchObject({ state: 'waiting', nacks: 1 });
      expect(jobOf(outcomes[2])).toMatchObject({ state: 'delayed', runAt: now + 5_000, delayedNacks: 1 });
      expect(jobOf(outcomes[3])).toMatchObject({ state: 'dead', deadReason: 'rejected', error, nacks: 0 });
      const waiting = await store.jobList({ queue: QUEUE, state: 'waiting', limit: 10, cursor: null });
      const order = waiting.items.map((job) => job.id);
      expect(order[0]).toBe(front.id);
      expect(order[order.length - 1]).toBe(back.id);
      expect(order).toHaveLength(3);
    });

    ctx.test('nackMany places jobs as nacking them one by one would: front in reverse, back in order', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob(), newJob(), newJob(), newJob(), newJob(), newJob()]);
      const leased = await lease(store, { queues: [QUEUE], now: T0 + 1, max: 4 });
      const [b1, f1, b2, f2] = leased;
      if (b1 === undefined || f1 === undefined || b2 === undefined || f2 === undefined) {
        throw new Error('expected four leased jobs');
      }
      const waitingBefore = (await store.jobList({ queue: QUEUE, state: 'waiting', limit: 10, cursor: null })).items;
      const now = T0 + 10;
      const outcomes = await store.jobNackMany({
        now,
        nacks: [
          nackParams(b1, now, { state: 'waiting', placement: 'back' }),
          nackParams(f1, now, { state: 'waiting', placement: 'front' }),
          nackParams(b2, now, { state: 'waiting', placement: 'back' }),
          nackParams(f2, now, { state: 'waiting', placement: 'front' }),
        ],
      });
      expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true, true]);
      const expected = [f2.id, f1.id, ...waitingBefore.map((job) => job.id), b1.id, b2.id];
      expect(await drainIds(store, [QUEUE], now + 1)).toEqual(expected);
    });

    ctx.test('nackMany of expired leases (the reaper) puts them back in item order', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob(), newJob(), newJob()]);
      const leased = await lease(store, { queues: [QUEUE], now: T0 + 1, max: 3, leaseMs: 1_000 });
      expect(leased).toHaveLength(3);
      const now = T0 + 2_000;
      const items = [...leased].reverse();
      const outcomes = await store.jobNackMany({
        now,
        nacks: items.map((job) =>
          nackParams(
            job,
            now,
            { state: 'waiting', placement: 'back' },
            { kind: 'failure', error: jobError('lease expired before ack', now, job.attempts), leaseExpiredOnly: true },
          ),
        ),
      });
      expect(outcomes.map((outcome) => outcome.ok && outcome.job.state)).toEqual(['waiting', 'waiting', 'waiting']);
      expect(await drainIds(store, [QUEUE], now + 1)).toEqual(items.map((job) => job.id));
    });

    ctx.test('nackMany keeps each refusal with its item and applies the others', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob(), newJob()]);
      const [ok, notDue] = await lease(store, { queues: [QUEUE], now: T0 + 1, max: 2, leaseMs: 60_000 });
      if (ok === undefined || notDue === undefined) throw new Error('expected two leased jobs');
      const notDueBefore = await store.jobGet({ id: notDue.id });
      const now = T0 + 2;
      const outcomes = await store.jobNackMany({
        now,
        nacks: [
          { ...nackParams(ok, now, { state: 'waiting', placement: 'back' }) },
          { ...nackParams(ok, now, { state: 'waiting', placement: 'back' }) },
          {
            ...nackParams(notDue, now, { state: 'waiting', placement: 'front' }, { leaseExpiredOnly: true }),
          },
          {
            id: 'missing',
            token: 'any',
            target: { state: 'waiting', placement: 'front' },
            kind: 'placement',
            error: null,
            leaseExpiredOnly: false,
          },
        ],
      });
      expect(jobOf(outcomes[0])).toMatchObject({ id: ok.id, state: 'waiting' });
      expect(errorOf(outcomes[1])).toBeInstanceOf(LeaseMismatchError);
      expect(errorOf(outcomes[2])).toBeInstanceOf(LeaseMismatchError);
      expect(errorOf(outcomes[3])).toBeInstanceOf(JobNotFoundError);
      expect(await store.jobGet({ id: notDue.id })).toEqual(notDueBefore);
    });
  });
}
