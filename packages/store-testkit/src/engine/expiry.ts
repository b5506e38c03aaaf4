/** Engine: expiry beats everything; enqueue-and-wait (waitFor). */
import { JobExpiredError, JobNotFoundError } from '@docket/protocol';
import { describe, expect, it } from 'vitest';
import { createHarness, leaseOne, nextEvent, type StoreFactory } from './harness.ts';

export function expiryCases(createStore: StoreFactory): void {
  describe('engine expiry', () => {
    it('a waiting job past its ttl is swept to dead as expired and never leased', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1, ttlMs: 1000 });
        const expired = nextEvent(h.engine, 'job:expired');
        h.clock.advance(1000);
        expect((await expired).job).toMatchObject({ id: job.id, state: 'dead', deadReason: 'expired' });
        expect(await h.engine.lease({ queues: ['q'] })).toEqual([]);
      } finally {
        await h.engine.close();
      }
    });

    it('expiry beats an active lease: the ack is refused and the job is dead as expired', async () => {
      const h = await createHarness(createStore, { start: false });
      try {
        const { job } = await h.engine.enqueue('q', { data: 1, ttlMs: 1000, leaseMs: 60_000 });
        const leased = await leaseOne(h.engine, 'q');
        h.clock.advance(1000);
        await expect(h.engine.ack(job.id, { token: leased.leaseToken })).rejects.toBeInstanceOf(JobExpiredError);
        expect(await h.engine.get(job.id)).toMatchObject({ state: 'dead', deadReason: 'expired' });
        expect(h.log.map((e) => e.event)).toContain('job:expired');
      } finally {
        await h.engine.close();
      }
    });
  });

  describe('engine waitFor', () => {
    it('resolves with the result as soon as the job is acked', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1 });
        const waiting = h.engine.waitFor(job.id, { waitMs: 30_000 });
        const leased = await leaseOne(h.engine, 'q');
        await h.engine.ack(job.id, { token: leased.leaseToken, result: 'my result' });
        expect(await waiting).toMatchObject({ state: 'completed', result: 'my result' });
      } finally {
        await h.engine.close();
      }
    });

    it('resolves with the dead job and its error when the job fails for good', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1 });
        const waiting = h.engine.waitFor(job.id, { waitMs: 30_000 });
        const leased = await leaseOne(h.engine, 'q');
        await h.engine.nack(job.id, { token: leased.leaseToken, fail: true, retry: false, error: { message: 'bad' } });
        expect(await waiting).toMatchObject({ state: 'dead', deadReason: 'rejected', error: { message: 'bad' } });
      } finally {
        await h.engine.close();
      }
    });

    it('returns the unfinished job when waitMs passes, and the job keeps running', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1 });
        const leased = await leaseOne(h.engine, 'q');
        const waiting = h.engine.waitFor(job.id, { waitMs: 500 });
        await new Promise((r) => setImmediate(r));
        h.clock.advance(500);
        expect(await waiting).toMatchObject({ state: 'active' });
        await h.engine.ack(job.id, { token: leased.leaseToken, result: 42 });
        expect(await h.engine.get(job.id)).toMatchObject({ state: 'completed', result: 42 });
      } finally {
        await h.engine.close();
      }
    });

    it('an already finished job returns at once, and an unknown id is not found', async () => {
      const h = await createHarness(createStore);
      try {
        const { job } = await h.engine.enqueue('q', { data: 1 });
        await h.engine.cancel(job.id);
        expect(await h.engine.waitFor(job.id, { waitMs: 60_000 })).toMatchObject({ deadReason: 'cancelled' });
        await expect(h.engine.waitFor('nope', { waitMs: 10 })).rejects.toBeInstanceOf(JobNotFoundError);
      } finally {
        await h.engine.close();
      }
    });
  });
}
