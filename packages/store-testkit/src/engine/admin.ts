/**
 * Engine: idempotent enqueue, pause, purge, redrive, retention, queue totals and countFailures,
 * and bad input that changes nothing.
 */
import {
  InvalidArgumentError,
  JobNotFoundError,
  PayloadTooLargeError,
  QueueNotFoundError,
  limits,
} from '@docket/protocol';
import { describe, expect, it } from 'vitest';
import { createHarness, leaseOne, nextEvent, type StoreFactory } from './harness.ts';

export function adminCases(createStore: StoreFactory): void {
  describe('engine admin', () => {
    it('a client-chosen id and a dedupKey make enqueue idempotent', async () => {
      const h = await createHarness(createStore);
      try {
        const first = await h.engine.enqueue('q', { data: 1, id: 'order-1' });
        const again = await h.engine.enqueue('q', { data: 2, id: 'order-1' });
        expect(again).toMatchObject({ created: false, job: { id: 'order-1', data: 1 } });
        const d1 = await h.engine.enqueue('q', { data: 3, dedupKey: 'k', dedupWindowMs: 1000 });
        const d2 = await h.engine.enqueue('q', { data: 4, dedupKey: 'k' });
        expect(d2).toMatchObject({ created: false, job: { id: d1.job.id } });
        h.clock.advance(1000);
        expect((await h.engine.enqueue('q', { data: 5, dedupKey: 'k' })).created).toBe(true);
        expect(first.created).toBe(true);
        expect(h.log.filter((e) => e.event === 'job:deduplicated')).toHaveLength(2);
      } finally {
        await h.engine.close();
      }
    });

    it('pause blocks lease but not enqueue', async () => {
      const h = await createHarness(createStore);
      try {
        await h.engine.pause('q');
        await h.engine.enqueue('q', { data: 1 });
        expect(await h.engine.lease({ queues: ['q'] })).toEqual([]);
        expect((await h.engine.stats('q')).paused).toBe(true);
        await h.engine.resume('q');
        expect(await h.engine.lease({ queues: ['q'] })).toHaveLength(1);
      } finally {
        await h.engine.close();
      }
    });

    it('purge empties a queue, redrive brings dead jobs back by reason', async () => {
      const h = await createHarness(createStore);
      try {
        const a = (await h.engine.enqueue('q', { data: 'a' })).job;
        const b = (await h.engine.enqueue('q', { data: 'b' })).job;
        await h.engine.cancel(a.id);
        const leased = await leaseOne(h.engine, 'q');
        await h.engine.nack(b.id, { token: leased.leaseToken, fail: true, retry: false });
        expect(await h.engine.redrive('q', { reason: 'rejected' })).toBe(1);
        expect(await h.engine.get(b.id)).toMatchObject({ state: 'waiting', attempts: 0 });
        expect(await h.engine.redrive('q')).toBe(1);
        expect(await h.engine.purge('q')).toBe(2);
        expect((await h.engine.stats('q')).counts).toEqual({
          delayed: 0,
          waiting: 0,
          active: 0,
          completed: 0,
          dead: 0,
        });
      } finally {
        await h.engine.close();
      }
    });

    it('retention deletes completed jobs past their age and beyond their count, and dead jobs past theirs', async () => {
      const h = await createHarness(createStore);
      try {
        await h.engine.configureQueue('q', { keepCompletedMs: 60_000, keepCompletedCount: 2, keepDeadMs: 100_000 });
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          const { job } = await h.engine.enqueue('q', { data: i });
          ids.push(job.id);
          await h.engine.ack(job.id, { token: (await leaseOne(h.engine, 'q')).leaseToken, result: i });
          h.clock.advance(10);
        }
        const dead = (await h.engine.enqueue('q', { data: 'd' })).job;
        await h.engine.cancel(dead.id);
        // Each step waits for the cleaner's run to end (not only for its deletes to be visible), so
        // the next clock step finds it idle and arms its timer from the new time.
        const cleaned = () =>
          nextEvent(h.engine, 'service:ran', (p) => p.service === 'retention-cleaner' && p.count > 0);
        let run = cleaned();
        h.clock.advance(30_000);
        expect((await run).count).toBe(1);
        expect((await h.engine.stats('q')).counts.completed).toBe(2);
        await expect(h.engine.get(ids[0]!)).rejects.toBeInstanceOf(JobNotFoundError);
        expect(await h.engine.get(ids[2]!)).toMatchObject({ result: 2 });
        run = cleaned();
        h.clock.advance(60_000);
        expect((await run).count).toBe(2);
        expect((await h.engine.stats('q')).counts).toMatchObject({ completed: 0, dead: 1 });
        run = cleaned();
        h.clock.advance(60_000);
        expect((await run).count).toBe(1);
        expect((await h.engine.stats('q')).counts.dead).toBe(0);
      } finally {
        await h.engine.close();
      }
    });

    it('stats carry lifetime totals of acks, failed attempts, reaped leases and countFailures', async () => {
      const h = await createHarness(createStore);
      try {
        const acked = (await h.engine.enqueue('q', { data: 'a' })).job;
        await h.engine.ack(acked.id, { token: (await leaseOne(h.engine, 'q')).leaseToken });
        const failed = (await h.engine.enqueue('q', { data: 'f' })).job;
        await h.engine.nack(failed.id, { token: (await leaseOne(h.engine, 'q')).leaseToken, error: { message: 'x' } });
        const placed = (await h.engine.enqueue('q', { data: 'p' })).job;
        await h.engine.nack(placed.id, { token: (await leaseOne(h.engine, 'q')).leaseToken, placement: 'back' });
        await h.engine.enqueue('r', { data: 'reaped', leaseMs: 1000 });
        await leaseOne(h.engine, 'r');
        const reaped = nextEvent(h.engine, 'job:reaped');
        h.clock.advance(1000);
        await reaped;
        expect((await h.engine.stats('q')).totals).toEqual({ completed: 1, failed: 1 });
        expect((await h.engine.stats('r')).totals).toEqual({ completed: 0, failed: 1 });
        expect((await h.engine.countFailures('q')).totals).toEqual({ completed: 1, failed: 2 });
        expect((await h.engine.countFailures('q', 3)).totals).toEqual({ completed: 1, failed: 5 });
        const created = await h.engine.countFailures('new');
        expect(created).toMatchObject({ name: 'new', paused: false, totals: { completed: 0, failed: 1 } });
        const listed = await h.engine.listQueues();
        expect(listed.items.map((queue) => [queue.name, queue.totals.failed])).toEqual([
          ['new', 1],
          ['q', 5],
          ['r', 1],
        ]);
        for (const count of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1]) {
          await expect(h.engine.countFailures('q', count)).rejects.toMatchObject({
            code: 'INVALID_ARGUMENT',
            details: { field: 'count' },
          });
        }
        await expect(h.engine.countFailures('bad name!')).rejects.toBeInstanceOf(InvalidArgumentError);
        expect((await h.engine.stats('q')).totals.failed).toBe(5);
        await h.engine.purge('q', { states: ['completed'] });
        await h.engine.purge('q', { states: ['waiting', 'delayed', 'dead'] });
        expect((await h.engine.stats('q')).totals).toEqual({ completed: 1, failed: 5 });
        await h.engine.purge('q', { states: ['completed', 'dead'] });
        expect((await h.engine.stats('q')).totals).toEqual({ completed: 0, failed: 0 });
        await h.engine.purge('r');
        expect((await h.engine.stats('r')).totals).toEqual({ completed: 0, failed: 0 });
      } finally {
        await h.engine.close();
      }
    });

    it('bad input is refused with a precise error and changes nothing', async () => {
      const h = await createHarness(createStore);
      try {
        await h.engine.enqueue('q', { data: 'keep' });
        const before = await h.engine.stats('q');
        await expect(h.engine.enqueue('bad name!', { data: 1 })).rejects.toBeInstanceOf(InvalidArgumentError);
        await expect(h.engine.enqueue('q', { data: 1, priority: 1.5 })).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
          details: { field: 'job.priority' },
        });
        await expect(h.engine.enqueue('q', { data: 1, delayMs: 5, runAt: 5 })).rejects.toBeInstanceOf(
          InvalidArgumentError,
        );
        await expect(h.engine.enqueue('q', { data: 'x'.repeat(limits.MAX_PAYLOAD_BYTES + 1) })).rejects.toBeInstanceOf(
          PayloadTooLargeError,
        );
        let deep: unknown = 1;
        for (let i = 0; i < 100; i++) deep = [deep];
        await expect(h.engine.enqueue('q', { data: deep as never })).rejects.toBeInstanceOf(InvalidArgumentError);
        await expect(h.engine.enqueueMany('q', [{ data: 1 }, { data: 2, maxAttempts: 0 }])).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
          details: { index: 1 },
        });
        await expect(h.engine.enqueueMany('q', [])).rejects.toBeInstanceOf(InvalidArgumentError);
        await expect(h.engine.lease({ queues: ['q'], max: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
        await expect(h.engine.nack('x', { token: 't', placement: 'delay' })).rejects.toBeInstanceOf(
          InvalidArgumentError,
        );
        await expect(h.engine.stats('never-used')).rejects.toBeInstanceOf(QueueNotFoundError);
        expect(await h.engine.stats('q')).toEqual(before);
      } finally {
        await h.engine.close();
      }
    });
  });
}
