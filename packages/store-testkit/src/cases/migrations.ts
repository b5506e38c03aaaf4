/**
 * The store's lifecycle: migrate() on a migrated store is a no-op that keeps every job, queue,
 * worker and lease; close() lets writes already started finish, and every later call rejects
 * with UnavailableError.
 */
import { describe, expect } from 'vitest';
import { UnavailableError } from '@docket/protocol';
import type { Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { newJob, QUEUE, T0 } from '../support/new-jobs.ts';
import { enqueue, enqueueOne, lease, leaseOne } from '../support/store-actions.ts';

async function snapshot(store: Store): Promise<unknown> {
  return {
    jobs: await store.jobList({ queue: QUEUE, state: null, limit: 1000, cursor: null }),
    queues: await store.queueList({ limit: 1000, cursor: null }),
    workers: await store.workerList({ limit: 1000, cursor: null }),
  };
}

export function registerMigrationCases(ctx: CaseContext): void {
  describe('migrations and close', () => {
    ctx.test('running migrate again keeps every job, queue, worker and lease', async () => {
      const store = ctx.store();
      await enqueue(store, [newJob(), newJob({ encoding: 'bytes', data: new Uint8Array([1, 2, 3]) }), newJob()]);
      await store.queueConfigure({ queue: 'configured', config: { maxAttempts: 2 }, now: T0 });
      await store.queuePause({ queue: 'configured', now: T0 });
      await store.workerSeen({ id: 'w1', queues: [QUEUE], now: T0 });
      const leased = await leaseOne(store, { queues: [QUEUE], now: T0 + 1, worker: 'w1' });
      const before = await snapshot(store);
      await store.migrate();
      await store.migrate();
      expect(await snapshot(store)).toEqual(before);
      const acked = await store.jobAck({ id: leased.id, token: leased.leaseToken, now: T0 + 2, result: 'ok' });
      expect(acked.state).toBe('completed');
      expect(await lease(store, { queues: [QUEUE], now: T0 + 3, max: 5 })).toHaveLength(2);
    });

    ctx.test('after close every operation rejects with UnavailableError', async () => {
      const store = ctx.store();
      const job = await enqueueOne(store, newJob());
      await ctx.closeStore();
      const calls: Promise<unknown>[] = [
        store.jobGet({ id: job.id }),
        store.jobEnqueueMany({ jobs: [newJob()], now: T0 + 1 }),
        lease(store, { queues: [QUEUE], now: T0 + 1 }),
        store.jobCancel({ id: job.id, now: T0 + 1 }),
        store.queueList({ limit: 10, cursor: null }),
        store.queueStats({ queue: QUEUE }),
        store.workerSeen({ id: 'w1', queues: [QUEUE], now: T0 + 1 }),
      ];
      for (const call of calls) await expect(call).rejects.toBeInstanceOf(UnavailableError);
    });

    ctx.test('close lets an enqueue already started finish', async () => {
      const store = ctx.store();
      const job = newJob();
      const pending = store.jobEnqueueMany({ jobs: [job], now: T0 });
      await ctx.closeStore();
      const [result] = await pending;
      expect(result).toMatchObject({ created: true, job: { id: job.id, state: 'waiting' } });
    });
  });
}
