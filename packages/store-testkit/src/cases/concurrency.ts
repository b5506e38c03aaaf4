/**
 * Calls that race on one store: concurrent leases never hand out a job twice, concurrent acks
 * with valid tokens all land, two calls fighting over one lease (ack against nack, ack against
 * cancel) have exactly one winner, racing enqueues of one id or dedupKey create one job, and a
 * batch is never seen half-written by concurrent readers.
 */
import { describe, expect } from 'vitest';
import { DocketError, LeaseMismatchError, type Job } from '@docket/protocol';
import type { CaseContext } from '../case-registry.ts';
import { newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { enqueue, lease, nackParams } from '../support/store-actions.ts';

/** Exactly one of the settled calls fulfilled; the others were refused with `refusal`. Returns the winner's index. */
function expectOneWinner(
  settled: readonly PromiseSettledResult<Job>[],
  refusal: abstract new (...args: never[]) => Error = DocketError,
): number {
  const winners = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [i] : []));
  expect(winners).toHaveLength(1);
  for (const s of settled) if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(refusal);
  return winners[0] ?? -1;
}

export function registerConcurrencyCases(ctx: CaseContext): void {
  describe('concurrency', () => {
    ctx.test('twenty concurrent leases over fifty jobs hand out each job exactly once', async () => {
      const store = ctx.store();
      await enqueue(
        store,
        Array.from({ length: 50 }, () => newJob()),
      );
      const batches = await Promise.all(
        Array.from({ length: 20 }, (_, i) => lease(store, { queues: [QUEUE], now: T0 + 1, max: (i % 5) + 1 })),
      );
      const leased = batches.flat();
      expect(leased).toHaveLength(50);
      expect(new Set(leased.map((j) => j.id)).size).toBe(50);
      expect(new Set(leased.map((j) => j.leaseToken)).size).toBe(50);
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ waiting: 0, active: 50 });
    });

    ctx.test('concurrent acks with their own tokens all succeed', async () => {
      const store = ctx.store();
      await enqueue(
        store,
        Array.from({ length: 30 }, () => newJob()),
      );
      const leased = await lease(store, { queues: [QUEUE], now: T0 + 1, max: 30 });
      expect(leased).toHaveLength(30);
      const acked = await Promise.all(
        leased.map((j) => store.jobAck({ id: j.id, token: j.leaseToken, now: T0 + 2, result: j.id })),
      );
      expect(acked.every((j) => j.state === 'completed')).toBe(true);
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ active: 0, completed: 30 });
    });

    ctx.test('an ack racing a nack on the same lease has exactly one winner', async () => {
      const store = ctx.store();
      await enqueue(
        store,
        Array.from({ length: 10 }, () => newJob()),
      );
      const leased = await lease(store, { queues: [QUEUE], now: T0 + 1, max: 10 });
      for (const job of leased) {
        const settled = await Promise.allSettled([
          store.jobAck({ id: job.id, token: job.leaseToken, now: T0 + 2, result: 'done' }),
          store.jobNack(nackParams(job, T0 + 2, { state: 'waiting', placement: 'front' })),
        ]);
        const winner = expectOneWinner(settled, LeaseMismatchError);
        expect((await store.jobGet({ id: job.id }))?.state).toBe(winner === 0 ? 'completed' : 'waiting');
      }
    });

    ctx.test('an ack racing a cancel on the same lease has exactly one winner', async () => {
      const store = ctx.store();
      await enqueue(
        store,
        Array.from({ length: 10 }, () => newJob()),
      );
      const leased = await lease(store, { queues: [QUEUE], now: T0 + 1, max: 10 });
      for (const job of leased) {
        const settled = await Promise.allSettled([
          store.jobAck({ id: job.id, token: job.leaseToken, now: T0 + 2, result: 'done' }),
          store.jobCancel({ id: job.id, now: T0 + 2 }),
        ]);
        const winner = expectOneWinner(settled);
        expect((await store.jobGet({ id: job.id }))?.state).toBe(winner === 0 ? 'completed' : 'dead');
      }
    });

    ctx.test('racing enqueues of one id create exactly one job', async () => {
      const store = ctx.store();
      const id = 'contested-id';
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.jobEnqueueMany({ jobs: [newJob({ id, data: i })], now: T0 })),
      );
      const flat = results.flat();
      expect(flat.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(flat.map((r) => r.job.seq)).size).toBe(1);
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ waiting: 1 });
    });

    ctx.test('racing enqueues of one dedupKey create exactly one job', async () => {
      const store = ctx.store();
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          store.jobEnqueueMany({ jobs: [newJob({ dedupKey: 'contested', dedupUntil: T0 + 60_000 })], now: T0 }),
        ),
      );
      const flat = results.flat();
      expect(flat.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(flat.map((r) => r.job.id)).size).toBe(1);
      expect(await store.queueStats({ queue: QUEUE })).toMatchObject({ waiting: 1 });
    });

    ctx.test('concurrent readers see a batch whole or not at all', async () => {
      const store = ctx.store();
      const batch = store.jobEnqueueMany({ jobs: Array.from({ length: 100 }, () => newJob()), now: T0 });
      const readers = Array.from({ length: 10 }, () => store.queueStats({ queue: QUEUE }));
      const [results, ...counts] = await Promise.all([batch, ...readers]);
      expect(results).toHaveLength(100);
      for (const c of counts) expect([0, 100]).toContain(c.waiting);
      expect((await store.queueStats({ queue: QUEUE })).waiting).toBe(100);
    });
  });
}
