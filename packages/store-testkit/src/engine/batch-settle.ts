/**
 * Engine: ackMany and nackMany. One outcome per item in order, an invalid item refused alone
 * (with the error its single form would throw), the same events as the single forms, the retry
 * policy applied per failed item, and expiry announced for an item it refused.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, JobExpiredError, LeaseMismatchError } from '@docket/protocol';
import { errorOf, jobOf } from '../support/outcomes.ts';
import { createHarness, T0, type StoreFactory } from './harness.ts';

export function batchSettleCases(createStore: StoreFactory): void {
  describe('engine batch settle', () => {
    it('ackMany completes the valid items, refuses the invalid and stale ones, and announces each completion', async () => {
      const h = await createHarness(createStore, { start: false });
      try {
        await h.engine.enqueueMany('q', [{ data: 1 }, { data: 2 }]);
        const [a, b] = await h.engine.lease({ queues: ['q'], max: 2 });
        if (a === undefined || b === undefined) throw new Error('expected two leased jobs');
        h.log.length = 0;
        const outcomes = await h.engine.ackMany([
          { id: a.id, token: a.leaseToken, result: { n: 1 } },
          { id: b.id, token: '' },
          { id: b.id, token: 'stale-token' },
          { id: b.id, token: b.leaseToken },
        ]);
        expect(jobOf(outcomes[0])).toMatchObject({ id: a.id, state: 'completed', result: { n: 1 }, finishedAt: T0 });
        expect(errorOf(outcomes[1])).toBeInstanceOf(InvalidArgumentError);
        expect(errorOf(outcomes[2])).toBeInstanceOf(LeaseMismatchError);
        expect(jobOf(outcomes[3])).toMatchObject({ id: b.id, state: 'completed', result: null });
        expect(h.log).toEqual([
          { event: 'job:completed', jobId: a.id },
          { event: 'job:completed', jobId: b.id },
        ]);
      } finally {
        await h.engine.close();
      }
    });

    it('ackMany of an expired job refuses it with JobExpiredError and announces its expiry', async () => {
      const h = await createHarness(createStore, { start: false });
      try {
        const { job } = await h.engine.enqueue('q', { data: 1, ttlMs: 1000, leaseMs: 60_000 });
        const [leased] = await h.engine.lease({ queues: ['q'] });
        if (leased === undefined) throw new Error('expected a leased job');
        h.clock.advance(1000);
        const [outcome] = await h.engine.ackMany([{ id: job.id, token: leased.leaseToken }]);
        expect(errorOf(outcome)).toBeInstanceOf(JobExpiredError);
        expect(h.log.map((e) => e.event)).toEqual(expect.arrayContaining(['job:expired', 'job:dead']));
        expect(await h.engine.get(job.id)).toMatchObject({ state: 'dead', deadReason: 'expired' });
      } finally {
        await h.engine.close();
      }
    });

    it('nackMany applies placements and the retry policy per item, with the single forms events', async () => {
      const h = await createHarness(createStore, { start: false });
      try {
        await h.engine.enqueueMany('q', [
          { data: 'front' },
          {
            data: 'retry',
            maxAttempts: 3,
            backoff: { type: 'fixed', initialMs: 500, maxMs: 500, factor: 1, jitter: 0 },
          },
          { data: 'last-attempt', maxAttempts: 1 },
        ]);
        const [front, retry, last] = await h.engine.lease({ queues: ['q'], max: 3 });
        if (front === undefined || retry === undefined || last === undefined) throw new Error('expected three jobs');
        h.log.length = 0;
        const outcomes = await h.engine.nackMany([
          { id: front.id, token: front.leaseToken, placement: 'front' },
          { id: retry.id, token: retry.leaseToken, error: { message: 'try again' } },
          { id: last.id, token: last.leaseToken, error: { message: 'out of attempts' } },
          { id: front.id, token: front.leaseToken, placement: 'delay' },
        ]);
        expect(jobOf(outcomes[0])).toMatchObject({ state: 'waiting', nacks: 1 });
        expect(jobOf(outcomes[1])).toMatchObject({
          state: 'delayed',
          runAt: T0 + 500,
          error: { message: 'try again', attempt: 1 },
        });
        expect(jobOf(outcomes[2])).toMatchObject({ state: 'dead', deadReason: 'max-attempts' });
        expect(errorOf(outcomes[3])).toBeInstanceOf(InvalidArgumentError);
        expect(h.log).toEqual([
          { event: 'job:nacked', jobId: front.id },
          { event: 'job:retrying', jobId: retry.id },
          { event: 'job:dead', jobId: last.id },
        ]);
      } finally {
        await h.engine.close();
      }
    });
  });
}
